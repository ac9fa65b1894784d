/* Captures through libpcap, kept in their own file: libpcap's headers
 * declare classic BPF's struct bpf_insn, which <linux/bpf.h> declares too. */
#ifndef BPFHOST_TOOLS_PCAPIO_H
#define BPFHOST_TOOLS_PCAPIO_H

#include <stddef.h>
#include <stdint.h>

struct pcapio_in;
struct pcapio_out;

struct pcapio_pkt {
	int64_t ts_sec, ts_usec;
	uint32_t caplen; /* bytes captured */
	uint32_t len;	 /* bytes on the wire */
	const uint8_t *data;
};

/* A pcap or pcapng capture of Ethernet frames, or NULL with why in err. */
struct pcapio_in *pcapio_open(const char *path, char *err, size_t err_size);
/* 1 with the next packet, 0 at the end, -1 with why in err (a damaged capture). */
int pcapio_next(struct pcapio_in *in, struct pcapio_pkt *pkt, char *err, size_t err_size);
void pcapio_close(struct pcapio_in *in);

/* A pcap file of the input's link type, or NULL with why in err. */
struct pcapio_out *pcapio_create(struct pcapio_in *in, const char *path, char *err,
				 size_t err_size);
void pcapio_write(struct pcapio_out *out, const struct pcapio_pkt *pkt);
/* Flushes and closes: 0, or -1 if anything failed to reach the file. */
int pcapio_finish(struct pcapio_out *out);

#endif
