/* Which helpers each program type may call, as Linux 6.18 answers for a
 * privileged (CAP_BPF, CAP_PERFMON) loader: the ids its verifier accepts in
 * a program of the type, found by loading a call of every id 1..211 (tests/
 * unit/test_helper_access compares the verdicts with the running kernel).
 * Types not listed here are not restricted yet. */
#include "progtype.h"

#include <stddef.h>

struct helper_set {
	uint32_t prog_type;
	const uint8_t *ids; /* ascending, 0-terminated */
};

static const uint8_t xdp_ids[] = {
	1,   2,	  3,   5,   6,	 7,   8,   12,	14,  15,  16,  17,  22,	 23,  25,  28,	35,  37,
	42,  44,  51,  54,  55,	 65,  69,  80,	84,  85,  86,  87,  88,	 89,  93,  94,	99,  100,
	105, 106, 109, 110, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132, 133, 134,
	136, 137, 138, 139, 140, 141, 148, 149, 153, 154, 156, 157, 158, 160, 163, 164, 165, 169,
	170, 171, 172, 175, 176, 177, 178, 180, 181, 182, 188, 189, 190, 191, 194, 195, 196, 197,
	198, 199, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 0};

static const uint8_t syscall_ids[] = {
	1,   2,	  3,   4,   5,	 6,   7,   8,	12,  14,  15,  16,  17,	 22,  25,  27,	35,
	37,  42,  45,  46,  55,	 67,  80,  87,	88,  89,  93,  94,  105, 106, 107, 108, 109,
	111, 112, 113, 114, 115, 117, 118, 120, 121, 123, 125, 130, 131, 132, 133, 134, 136,
	137, 138, 139, 140, 141, 147, 148, 149, 153, 154, 156, 157, 158, 162, 164, 165, 166,
	167, 168, 169, 170, 171, 172, 173, 175, 176, 177, 178, 179, 180, 181, 182, 188, 191,
	194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211, 0};

static const uint8_t socket_filter_ids[] = {
	1,   2,	  3,   5,   6,	 7,   8,   12,	14,  15,  16,  17,  22,	 25,  26,  35,	37,  42,
	46,  47,  55,  68,  80,	 87,  88,  89,	93,  94,  105, 106, 109, 112, 113, 114, 115, 117,
	118, 120, 122, 123, 125, 130, 131, 132, 133, 134, 136, 137, 138, 139, 140, 141, 148, 149,
	153, 154, 156, 157, 158, 160, 164, 165, 169, 170, 171, 172, 175, 176, 177, 178, 180, 181,
	182, 191, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211, 0};

/* SCHED_CLS and SCHED_ACT share the kernel's tc_cls_act_func_proto */
static const uint8_t tc_ids[] = {
	1,   2,	  3,   5,   6,	 7,   8,   9,	10,  11,  12,  13,  14,	 15,  16,  17,	18,  19,
	20,  21,  22,  23,  24,	 25,  26,  28,	29,  30,  31,  32,  33,	 34,  35,  37,	38,  39,
	40,  41,  42,  43,  46,	 47,  48,  50,	55,  66,  68,  69,  79,	 80,  83,  84,	85,  86,
	87,  88,  89,  93,  94,	 95,  96,  97,	98,  99,  100, 105, 106, 107, 108, 109, 110, 112,
	113, 114, 115, 117, 118, 120, 122, 123, 124, 125, 130, 131, 132, 133, 134, 135, 136, 137,
	138, 139, 140, 141, 148, 149, 151, 152, 153, 154, 155, 156, 157, 158, 160, 163, 164, 165,
	169, 170, 171, 172, 175, 176, 177, 178, 180, 181, 182, 191, 192, 194, 195, 196, 197, 198,
	199, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 0};

static const struct helper_set sets[] = {
	{BPF_PROG_TYPE_XDP, xdp_ids},
	{BPF_PROG_TYPE_SYSCALL, syscall_ids},
	{BPF_PROG_TYPE_SOCKET_FILTER, socket_filter_ids},
	{BPF_PROG_TYPE_SCHED_CLS, tc_ids},
	{BPF_PROG_TYPE_SCHED_ACT, tc_ids},
};

bool progtype_helper_allowed(uint32_t prog_type, int32_t id)
{
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		if (sets[i].prog_type != prog_type)
			continue;
		for (const uint8_t *p = sets[i].ids; *p && *p <= id; p++)
			if (*p == id)
				return true;
		return false;
	}
	return true;
}
