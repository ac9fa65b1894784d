/* The checked interpreter: every memory access is checked against the run's
 * regions and the live stack, every jump against the program, every helper
 * call against its argument kinds; the instruction count is bounded. It is
 * the witness of the verifier: an accepted program that faults here is a bug. */
#include <errno.h>
#include <string.h>

#include "vm_internal.h"

#define VM_CHECKED 1
#define VM_EXEC_NAME vm_exec_checked
#define VM_RUN_NAME run_checked
#define VM_CALLBACK_NAME callback_checked
#include "interp.inc"
