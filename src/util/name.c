/* Object name checks: see name.h. */
#include "name.h"

bool name_valid(const char *name, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		char c = name[i];

		if (!c)
			return true;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.'))
			return false;
	}
	return false;
}
