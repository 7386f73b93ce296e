/*
 * tap.h: a tiny TAP producer for the C unit tests.
 *   ok(cond, "what");  ...  return tap_done();
 */
#ifndef VJ_TAP_H
#define VJ_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

/* Report one check. */
#define ok(cond, ...) do {						\
	tap_n++;							\
	if (cond) {							\
		printf("ok %d - ", tap_n);				\
	} else {							\
		printf("not ok %d - ", tap_n);				\
		tap_failed++;						\
	}								\
	printf(__VA_ARGS__);						\
	printf("\n");							\
} while (0)

/* Compare two strings (NULL-safe). */
#define is(got, want, ...) do {						\
	const char *_g = (got), *_w = (want);				\
	ok(_g && _w ? strcmp(_g, _w) == 0 : _g == _w, __VA_ARGS__);	\
	if (_g && _w && strcmp(_g, _w) != 0)				\
		printf("#   got \"%s\", want \"%s\"\n", _g, _w);	\
} while (0)

/* Finish: the plan line and the exit status. */
static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}

#endif
