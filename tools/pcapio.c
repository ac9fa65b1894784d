/* Captures through libpcap (see pcapio.h). */
#include "pcapio.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pcapio_in {
	pcap_t *p;
};

struct pcapio_out {
	pcap_t *dead; /* the output's own handle: its snapshot length fits any packet */
	pcap_dumper_t *d;
};

struct pcapio_in *pcapio_open(const char *path, char *err, size_t err_size)
{
	char buf[PCAP_ERRBUF_SIZE] = "";
	struct pcapio_in *in;
	pcap_t *p = pcap_open_offline(path, buf);
	int dlt;

	if (!p) {
		snprintf(err, err_size, "%s", buf);
		return NULL;
	}
	dlt = pcap_datalink(p);
	if (dlt != DLT_EN10MB) {
		const char *name = pcap_datalink_val_to_name(dlt);

		snprintf(err, err_size, "link type %s (%d), not Ethernet (EN10MB)",
			 name ? name : "unknown", dlt);
		pcap_close(p);
		return NULL;
	}
	in = malloc(sizeof(*in));
	if (!in) {
		snprintf(err, err_size, "out of memory");
		pcap_close(p);
		return NULL;
	}
	in->p = p;
	return in;
}

int pcapio_next(struct pcapio_in *in, struct pcapio_pkt *pkt, char *err, size_t err_size)
{
	struct pcap_pkthdr *h;
	const u_char *bytes;
	int rc = pcap_next_ex(in->p, &h, &bytes);

	if (rc == PCAP_ERROR_BREAK)
		return 0;
	if (rc != 1) {
		snprintf(err, err_size, "%s", pcap_geterr(in->p));
		return -1;
	}
	pkt->ts_sec = h->ts.tv_sec;
	pkt->ts_usec = h->ts.tv_usec;
	pkt->caplen = h->caplen;
	pkt->len = h->len;
	pkt->data = bytes;
	return 1;
}

void pcapio_close(struct pcapio_in *in)
{
	if (!in)
		return;
	pcap_close(in->p);
	free(in);
}

struct pcapio_out *pcapio_create(struct pcapio_in *in, const char *path, char *err, size_t err_size)
{
	struct pcapio_out *out = malloc(sizeof(*out));

	if (!out) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	out->dead = pcap_open_dead(pcap_datalink(in->p), 262144);
	if (!out->dead) {
		snprintf(err, err_size, "out of memory");
		free(out);
		return NULL;
	}
	out->d = pcap_dump_open(out->dead, path);
	if (!out->d) {
		snprintf(err, err_size, "%s", pcap_geterr(out->dead));
		pcap_close(out->dead);
		free(out);
		return NULL;
	}
	return out;
}

void pcapio_write(struct pcapio_out *out, const struct pcapio_pkt *pkt)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = pkt->ts_sec;
	h.ts.tv_usec = pkt->ts_usec;
	h.caplen = pkt->caplen;
	h.len = pkt->len;
	pcap_dump((u_char *)out->d, &h, pkt->data);
}

int pcapio_finish(struct pcapio_out *out)
{
	int err;

	if (!out)
		return 0;
	err = pcap_dump_flush(out->d) || ferror(pcap_dump_file(out->d));
	pcap_dump_close(out->d);
	pcap_close(out->dead);
	free(out);
	return err ? -1 : 0;
}
