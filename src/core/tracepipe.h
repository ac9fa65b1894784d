/* The trace pipe: the lines bpf_trace_printk writes, in the object
 * directory's trace_pipe, which every process appends to and `bpfhost trace`
 * and `bpfhost run` follow. Bounded as the kernel's ring buffer is: when the
 * file passes its size limit, the writer that sees it renames it to
 * trace_pipe.old (dropping the older one) and starts a new file, so at most
 * twice the limit is kept. Readers follow the rename. */
#ifndef BPFHOST_CORE_TRACEPIPE_H
#define BPFHOST_CORE_TRACEPIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Each file's limit in bytes: BPFHOST_TRACE_PIPE_MAX if set (at least
 * 4096), else this. */
#define TRACEPIPE_MAX_DEFAULT (2u << 20)

/* Appends one line (a line lost if it cannot be written, as in the kernel). */
void tracepipe_write(const char *line, size_t len);

struct tracepipe_reader {
	int fd;		   /* the file being read */
	int old_fd;	   /* the file it replaced, drained for a while after a rotation */
	long long old_end; /* CLOCK_MONOTONIC ns until which old_fd is still read */
	unsigned clears;   /* the clears it has seen */
};

/* Opens the trace pipe for reading: from its end (only what comes from
 * now on), or from the start of the older file, if any, then this one.
 * 0 or a negative errno. */
int tracepipe_open(struct tracepipe_reader *r, bool from_end);
/* Up to len bytes of what was written; 0 when there is nothing new yet. */
ssize_t tracepipe_read(struct tracepipe_reader *r, char *buf, size_t len);
void tracepipe_close(struct tracepipe_reader *r);
/* Empties the trace pipe (both files). 0 or a negative errno. */
int tracepipe_clear(void);

#endif
