# tests/isolation: the isolation probe run inside jails.  Static, so it
# runs in any jail root (and with path=/ without the host's loader).
# The lead hooks $(PROBE) into `make tests`.
PROBE_SRCS := $(wildcard tests/isolation/*.c)
PROBE := $(B)/tests/isolation/probe

$(PROBE): $(PROBE_SRCS) tests/isolation/probe.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -static -o $@ $(PROBE_SRCS)

probe: $(PROBE)

.PHONY: probe
