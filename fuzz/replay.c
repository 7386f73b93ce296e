/*
 * replay.c: feed files to the fuzz target without libFuzzer, so the
 * corpus can be replayed under ASan/UBSan with gcc.
 *   replay FILE...
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read a whole file; NULL on error. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, *nb;
	size_t cap = 0, n;

	*len = 0;
	if (f == NULL)
		return NULL;
	do {
		if (*len == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((nb = realloc(buf, cap)) == NULL)
				break;
			buf = nb;
		}
		n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
	} while (n > 0);
	if (ferror(f) || *len == cap) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* Replay every file named on the command line. */
int
main(int argc, char **argv)
{
	size_t len;
	char *buf;
	int i, bad = 0, done = 0;

	for (i = 1; i < argc; i++) {
		if ((buf = slurp(argv[i], &len)) == NULL) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
			    strerror(errno ? errno : EIO));
			bad = 1;
			continue;
		}
		LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
		free(buf);
		done++;
	}
	printf("replayed %d inputs\n", done);
	return bad;
}
