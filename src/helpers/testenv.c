/* Helpers of the conformance environment: see testenv.h. */
#include "testenv.h"

#include <math.h>
#include <string.h>

/* r0 = a:b:c:d:e, one byte each, a the most significant of the five */
static uint64_t gather_bytes(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
			     struct vm_run *run)
{
	(void)run;
	return (a & 0xff) << 32 | (b & 0xff) << 24 | (c & 0xff) << 16 | (d & 0xff) << 8 |
	       (e & 0xff);
}

/* XORs each of n bytes at p with 42; returns 0 */
static uint64_t memfrob_helper(uint64_t p, uint64_t n, uint64_t r3, uint64_t r4, uint64_t r5,
			       struct vm_run *run)
{
	uint8_t *s = (uint8_t *)(uintptr_t)p;

	(void)r3, (void)r4, (void)r5, (void)run;
	for (uint64_t i = 0; i < n; i++)
		s[i] ^= 42;
	return 0;
}

static uint64_t no_op(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
		      struct vm_run *run)
{
	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5, (void)run;
	return 0;
}

/* the integer square root of x, rounded down */
static uint64_t sqrti(uint64_t x, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
		      struct vm_run *run)
{
	uint64_t r = (uint64_t)sqrt((double)x);

	(void)r2, (void)r3, (void)r4, (void)r5, (void)run;
	/* the double may be off by one either way for large x; divide, never overflow */
	while (r && r > x / r)
		r--;
	while ((r + 1) <= x / (r + 1))
		r++;
	return r;
}

static uint64_t strcmp_ext(uint64_t a, uint64_t b, uint64_t r3, uint64_t r4, uint64_t r5,
			   struct vm_run *run)
{
	(void)r3, (void)r4, (void)r5, (void)run;
	return (uint64_t)(int64_t)strcmp((const char *)(uintptr_t)a, (const char *)(uintptr_t)b);
}

/* returns its argument; a zero return ends the program with r0 = 0 */
static uint64_t unwind(uint64_t x, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
		       struct vm_run *run)
{
	(void)r2, (void)r3, (void)r4, (void)r5;
	if (x == 0)
		vm_run_stop(run, 0);
	return x;
}

static const struct vm_helper helpers[] = {
	[0] = {"gather_bytes", gather_bytes, {0}},
	[1] = {"memfrob", memfrob_helper, {VM_ARG_MEM_RW, VM_ARG_SIZE}},
	[2] = {"no_op", no_op, {0}},
	[3] = {"sqrti", sqrti, {0}},
	[4] = {"strcmp_ext", strcmp_ext, {VM_ARG_STR, VM_ARG_STR}},
	[5] = {"unwind", unwind, {0}},
};

struct vm_helper_table testenv_helpers(void)
{
	return (struct vm_helper_table){helpers, sizeof(helpers) / sizeof(helpers[0])};
}
