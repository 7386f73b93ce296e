# bench/Makefile.frag: the benchmark programs (see bench/README.md).
# Included by the top Makefile (`make bench`); also usable on its own:
#   make -f bench/Makefile.frag          builds build/bench/baseline
B		?= build
BENCH_WARN	:= -Wall -Wextra -Wshadow -Wmissing-prototypes \
		   -Wstrict-prototypes -Wpointer-arith -Wcast-qual -Wformat=2 \
		   -Wundef -Wno-format-truncation -Werror
BENCH_CFLAGS	:= -std=gnu11 -D_GNU_SOURCE -O2 -g $(BENCH_WARN) \
		   $(shell pkg-config --cflags libmnl)
BENCH_LIBS	:= $(shell pkg-config --libs libmnl)
BENCH_COMMON	:= bench/bnl.c bench/holder.c bench/measure.c
BENCH_SRCS	:= bench/baseline.c $(BENCH_COMMON)
VJLIB_SRCS	:= bench/vjlib.c $(BENCH_COMMON)
VJLIB_LIBS	:= $(shell pkg-config --libs libmnl libseccomp libcap 2>/dev/null)

bench-baseline: $(B)/bench/baseline

$(B)/bench/baseline: $(BENCH_SRCS) bench/bench.h
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -o $@ $(BENCH_SRCS) $(BENCH_LIBS)

# The library contestant (b): needs libvjail.
$(B)/bench/vjlib: $(VJLIB_SRCS) bench/bench.h $(B)/libvjail.a
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -Iinclude -o $@ $(VJLIB_SRCS) $(B)/libvjail.a \
	    $(VJLIB_LIBS)

# Everything bench/run uses.
bench: $(B)/bench/baseline $(B)/bench/vjlib

.PHONY: bench bench-baseline
