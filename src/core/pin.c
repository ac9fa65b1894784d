/* BPF_OBJ_PIN and BPF_OBJ_GET. Pins are hard links to an object's file inside
 * obj_dir(); a path under /sys/fs/bpf names the same place, so that paths
 * libbpf and bpftool use work unchanged. Any other path is not on "bpffs". */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../maps/map.h"
#include "pin.h"

#define BPFFS "/sys/fs/bpf"

int pin_path(const char *path, char *out, size_t len)
{
	const char *dir = obj_dir();
	size_t dl = strlen(dir), bl = strlen(BPFFS);
	int n;

	if (!path)
		return -EFAULT;
	if (!strncmp(path, BPFFS, bl) && (path[bl] == '/' || !path[bl]))
		n = snprintf(out, len, "%s%s", dir, path + bl);
	else if (!strncmp(path, dir, dl) && (path[dl] == '/' || !path[dl]))
		n = snprintf(out, len, "%s", path);
	else
		return -EPERM;
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

const char *pin_redirect(const char *path, char *buf, size_t len)
{
	return pin_path(path, buf, len) == 0 ? buf : path;
}

int pin_obj(struct obj *obj, const char *path)
{
	char real[4096], src[64];

	int err = pin_path(path, real, sizeof(real));

	if (err)
		return err;
	snprintf(src, sizeof(src), "/proc/self/fd/%d", obj->file_fd);
	if (linkat(AT_FDCWD, src, AT_FDCWD, real, AT_SYMLINK_FOLLOW))
		return -errno;
	return 0;
}

int pin_get(const char *path, uint32_t file_flags, struct obj **out, int *mode)
{
	char real[4096];
	int err, fd;

	if (file_flags & ~(uint32_t)(BPF_F_RDONLY | BPF_F_WRONLY) ||
	    file_flags == (BPF_F_RDONLY | BPF_F_WRONLY))
		return -EINVAL;
	err = pin_path(path, real, sizeof(real));
	if (err)
		return err;
	fd = open(real, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = obj_from_file(fd, out);
	if (err)
		return err;
	*mode = file_flags & BPF_F_RDONLY   ? O_RDONLY
		: file_flags & BPF_F_WRONLY ? O_WRONLY
					    : O_RDWR;
	return 0;
}
