# tests/capmode: the capability-mode test program (libvjcap).  Static,
# so the program it execs in capability mode needs no loader, and it runs
# in any jail root.  `make tests` builds it; security.sh runs it in jails.
CAPMODE_SRCS := $(wildcard tests/capmode/*.c)
CAPMODE_TEST := $(B)/tests/capmode/capmode_test

$(CAPMODE_TEST): $(CAPMODE_SRCS) tests/capmode/capmode.h $(B)/libvjcap.a
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Iinclude -static \
	    -o $@ $(CAPMODE_SRCS) $(B)/libvjcap.a -lseccomp -lpthread

capmode-test: $(CAPMODE_TEST)

.PHONY: capmode-test
