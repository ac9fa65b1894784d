/* A minimal check macro for unit tests: counts failures, prints where. */
#ifndef BPFHOST_TEST_UTIL_H
#define BPFHOST_TEST_UTIL_H

#include <stdio.h>

static int test_failures;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);            \
			printf(__VA_ARGS__);                                                       \
			printf("\n");                                                              \
			test_failures++;                                                           \
		}                                                                                  \
	} while (0)

#define TEST_DONE() (test_failures ? (printf("%d checks failed\n", test_failures), 1) : 0)

#endif
