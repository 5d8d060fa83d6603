// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <unistd.h>

#include "outfile.h"

int outfile_open(struct outfile *of, const char *path)
{
	char dir[1024];
	int fd, err;

	of->out = stdout;
	of->path = path;
	if (!path)
		return 0;
	snprintf(dir, sizeof(dir), "%s", path);
	snprintf(of->tmp, sizeof(of->tmp), "%s/.%s.kvas-XXXXXX", dirname(dir),
		 basename((char *)path));
	fd = mkstemp(of->tmp);	/* mode 0600 */
	if (fd < 0)
		return -1;
	of->out = fdopen(fd, "w");
	if (of->out)
		return 0;
	err = errno;
	close(fd);
	unlink(of->tmp);
	errno = err;
	return -1;
}

int outfile_finish(struct outfile *of, bool keep)
{
	int err = 0;

	if (!of->path || !of->out || of->out == stdout)
		return 0;
	keep = !fclose(of->out) && keep;
	of->out = NULL;
	if (keep && rename(of->tmp, of->path)) {
		err = errno;
		keep = false;
	}
	if (!keep)
		unlink(of->tmp);
	errno = err;
	return err ? -1 : 0;
}
