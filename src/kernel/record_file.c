// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record_file.h"

int record_file_check(const char *path, bool explicit_path, bool force, char *why, size_t len)
{
	struct stat st;

	if (stat(path, &st)) {
		if (errno == ENOENT)
			return 0;
		snprintf(why, len, "cannot write to %s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(why, len, "cannot write to %s: %s", path, strerror(EISDIR));
		return -1;
	}
	if (S_ISREG(st.st_mode) && explicit_path && !force) {
		snprintf(why, len, "%s exists (--force replaces it, keeping it as %s.old)", path,
			 path);
		return -1;
	}
	return 0;
}

static void dir_of(const char *path, char *dir, size_t len)
{
	char copy[PATH_MAX];

	snprintf(copy, sizeof(copy), "%s", path);
	snprintf(dir, len, "%s", dirname(copy));
}

int record_file_open(struct record_file *rf, const char *path, char *why, size_t len)
{
	char dir[PATH_MAX], base[PATH_MAX];
	struct stat st;
	int fd;

	memset(rf, 0, sizeof(*rf));
	rf->path = path;
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		rf->direct = true;
		fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	} else {
		dir_of(path, dir, sizeof(dir));
		fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
		rf->unnamed = fd >= 0;
		if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
			snprintf(base, sizeof(base), "%s", path);
			snprintf(rf->tmp, sizeof(rf->tmp), "%s/.%s.kvas-XXXXXX", dir,
				 basename(base));
			fd = mkostemp(rf->tmp, O_CLOEXEC);
			if (fd < 0)
				rf->tmp[0] = '\0';
		}
	}
	if (fd >= 0 && !(rf->f = fdopen(fd, "w"))) {
		close(fd);
		fd = -1;
	}
	if (fd >= 0)
		return 0;
	snprintf(why, len, "cannot write to %s: %s", path, strerror(errno));
	if (rf->tmp[0])
		unlink(rf->tmp);
	return -1;
}

/* The new file under path; an existing one moves to path.old first. */
static int give_name(struct record_file *rf, int fd)
{
	char old[PATH_MAX + 8], fdpath[64];
	struct stat st;

	snprintf(old, sizeof(old), "%s.old", rf->path);
	if (!stat(rf->path, &st) && rename(rf->path, old))
		return -errno;
	if (!rf->unnamed)
		return rename(rf->tmp, rf->path) ? -errno : 0;
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	return linkat(AT_FDCWD, fdpath, AT_FDCWD, rf->path, AT_SYMLINK_FOLLOW) ? -errno : 0;
}

int record_file_finish(struct record_file *rf, bool keep, char *why, size_t len)
{
	int err = 0, fd;

	if (!rf->f)
		return 0;
	fd = fileno(rf->f);
	errno = 0;
	if (fflush(rf->f) || ferror(rf->f))
		err = errno ? -errno : -EIO;
	/* after a write error (a full disk), what was written is kept: a file cut short */
	if (keep && !rf->direct) {
		int named = give_name(rf, fd);

		err = err ? err : named;
		keep = !named;
	}
	if (fclose(rf->f) && !err)
		err = -errno;
	rf->f = NULL;
	if (rf->tmp[0] && !keep)
		unlink(rf->tmp);
	rf->tmp[0] = '\0';
	if (!err)
		return 0;
	snprintf(why, len, "cannot write %s: %s", rf->path, strerror(-err));
	return -1;
}

long long record_file_size(struct record_file *rf)
{
	struct stat st;

	if (!rf->f || fflush(rf->f) || fstat(fileno(rf->f), &st))
		return 0;
	return st.st_size;
}
