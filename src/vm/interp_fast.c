/* The fast interpreter: for programs a verifier accepted. No run-time checks
 * beyond the ones that cost nothing on the hot path (helper ids, frame depth). */
#include <errno.h>
#include <string.h>

#include "vm_internal.h"

#define VM_CHECKED 0
#define VM_EXEC_NAME vm_exec_fast
#define VM_RUN_NAME run_fast
#define VM_CALLBACK_NAME callback_fast
#include "interp.inc"
