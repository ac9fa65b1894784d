/* The helper set of `bpfhost exec` and the data-driven tests: the helpers the
 * public ISA conformance suite (bpf_conformance) expects a runtime to offer
 * under ids 0-5, as uBPF's test harness defines them. Not kernel helpers. */
#ifndef BPFHOST_HELPERS_TESTENV_H
#define BPFHOST_HELPERS_TESTENV_H

#include "../vm/vm.h"

struct vm_helper_table testenv_helpers(void);

#endif
