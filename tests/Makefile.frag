# Tests: each tests/unit/test_*.c is a program linked with the library.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:%.c=$(B)/%)
TEST_LIBS := $(B)/libvjconf.a $(B)/libvjail.a

$(B)/tests/unit/%: tests/unit/%.c $(TEST_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(TEST_LIBS) $(LIBS) $(TEST_WRAP)

# The fake cgroup2 tree (tests/unit/fake_cgroup2.h) stands in for the
# kernel's mkdir, rmdir and write.
$(B)/tests/unit/test_limits_v2: TEST_WRAP := -Wl,--wrap=mkdir,--wrap=rmdir,--wrap=write
$(B)/tests/unit/test_limits_v2: tests/unit/fake_cgroup2.h

$(B)/tests/conf-e: tests/conf/conf-e.c $(TEST_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(TEST_LIBS) $(LIBS)

-include tests/isolation/Makefile.frag
-include tests/capmode/Makefile.frag

tests: $(UNIT_BINS) $(if $(wildcard tests/conf/conf-e.c),$(B)/tests/conf-e) $(PROBE) \
	$(CAPMODE_TEST)

check: all tests
	tests/run

.PHONY: tests check
