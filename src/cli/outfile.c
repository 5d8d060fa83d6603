// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

#define MAX_LINK_HOPS	40	/* as the kernel's ELOOP */

/* path with its symlinks followed to the name they end at, which may not exist yet. */
static int follow_links(const char *path, char *out, size_t len)
{
	char link[PATH_MAX], dir[PATH_MAX];
	struct stat st;
	ssize_t n;

	if ((size_t)snprintf(out, len, "%s", path) >= len)
		return -ENAMETOOLONG;
	for (int hops = 0; hops < MAX_LINK_HOPS; hops++) {
		if (lstat(out, &st) || !S_ISLNK(st.st_mode))
			return 0;
		n = readlink(out, link, sizeof(link) - 1);
		if (n < 0)
			return -errno;
		link[n] = '\0';
		snprintf(dir, sizeof(dir), "%s", out);
		if ((size_t)(link[0] == '/' ? snprintf(out, len, "%s", link) :
			     snprintf(out, len, "%s/%s", dirname(dir), link)) >= len)
			return -ENAMETOOLONG;
	}
	return -ELOOP;
}

/* A device or FIFO (or stdout's own file): written as it is, never replaced. */
static int open_direct(struct outfile *of, const char *path)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -errno;
	of->out = out_stream_open(of->stream, fd, true);
	if (of->out)
		return 0;
	close(fd);
	return -ENOMEM;
}

/* The temporary file beside the target; an existing target's mode and owner carry over. */
static int open_temp(struct outfile *of, const struct stat *old)
{
	char dir[PATH_MAX], base[PATH_MAX];
	int fd, err;

	snprintf(dir, sizeof(dir), "%s", of->target);
	snprintf(base, sizeof(base), "%s", of->target);
	snprintf(of->tmp, sizeof(of->tmp), "%s/.%s.kvas-XXXXXX", dirname(dir), basename(base));
	fd = mkostemp(of->tmp, O_CLOEXEC);	/* mode 0600 */
	if (fd < 0) {
		err = -errno;
		of->tmp[0] = '\0';
		return err;
	}
	if (old) {
		if (fchown(fd, old->st_uid, old->st_gid)) {
			/* only root gives a file away: else it stays the caller's */
		}
		fchmod(fd, old->st_mode & 07777);	/* after fchown, which clears set-id bits */
	}
	of->out = out_stream_open(of->stream, fd, true);
	if (of->out)
		return 0;
	close(fd);
	unlink(of->tmp);
	of->tmp[0] = '\0';
	return -ENOMEM;
}

static bool is_stdout(const struct stat *st)
{
	struct stat out;

	return !fstat(STDOUT_FILENO, &out) && out.st_dev == st->st_dev &&
	       out.st_ino == st->st_ino;
}

int outfile_open(struct outfile *of, const char *path, bool force, char *why, size_t len)
{
	bool exists;
	struct stat st;
	int err;

	memset(of, 0, sizeof(*of));
	of->out = stdout;
	of->stream = stdout_stream();
	of->path = path;
	if (!path)
		return 0;
	exists = !stat(path, &st);
	if (exists && is_stdout(&st))
		return 0;	/* -o /dev/stdout: stdout, as it is */
	of->stream = &of->file_stream;
	if (!exists && errno != ENOENT)
		err = -errno;
	else if (exists && S_ISDIR(st.st_mode))
		err = -EISDIR;
	else if (exists && !S_ISREG(st.st_mode))
		err = open_direct(of, path);
	else if (exists && !force) {
		snprintf(why, len, "%s exists (--force replaces it)", path);
		return -1;
	} else if (!(err = follow_links(path, of->target, sizeof(of->target))))
		err = open_temp(of, exists ? &st : NULL);
	if (!err)
		return 0;
	of->out = NULL;
	snprintf(why, len, "cannot write to %s: %s", path, strerror(-err));
	return -1;
}

int outfile_finish(struct outfile *of, bool keep, const char *cmd)
{
	int ret;

	if (!of->path || !of->out || of->out == stdout)
		return 0;	/* stdout's errors are stdout_finish()'s */
	fclose(of->out);
	of->out = NULL;
	ret = out_stream_check(of->stream, cmd, of->path);
	if (!of->tmp[0])
		return ret;
	if (keep && rename(of->tmp, of->target)) {
		fprintf(stderr, "kvas %s: cannot write %s: %s\n", cmd, of->path, strerror(errno));
		keep = false;
		ret = -1;
	}
	if (!keep)
		unlink(of->tmp);
	of->tmp[0] = '\0';
	return ret;
}
