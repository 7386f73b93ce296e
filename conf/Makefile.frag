# conf/Makefile.frag: the jail.conf(5) parser, built into $(B)/libvjconf.a.
CONF_SRCS := conf/lex.c conf/parse.c conf/merge.c conf/expand.c \
	     conf/conf.c conf/print.c conf/order.c

# Developer targets, not part of `all` (CONF_SAN: sanitizer flags).
#   conf-standalone: unit tests and golden driver over a stub registry
#     (only lib/core/{params,error,util}.c), with ASan/UBSan, then run them.
#   conf-fuzz: the libFuzzer target (clang); run it with a scratch
#   directory first (new inputs go there), the seeds second:
#     $(B)/fuzz/fuzz_conf -max_len=4096 -dict=fuzz/conf.dict SCRATCH fuzz/corpus
#   conf-replay: replay fuzz/corpus without libFuzzer, under ASan/UBSan.
CONF_SAN ?= -fsanitize=address,undefined -fno-omit-frame-pointer \
	    -fno-sanitize-recover=all
CONF_ALONE := $(CONF_SRCS) lib/core/params.c lib/core/error.c \
	      lib/core/util.c tests/conf/registry_stub.c
CONF_ALONE_CFLAGS := -std=gnu11 -g -O1 $(WARN) -Iinclude -Ilib/core -Iconf \
	      -Itests/unit $(CONF_SAN)

$(B)/conf/test_%: tests/unit/test_%.c $(CONF_ALONE) conf/conf.h conf/cfint.h
	@mkdir -p $(dir $@)
	$(CC) $(CONF_ALONE_CFLAGS) -o $@ $< $(CONF_ALONE)

$(B)/conf/conf-e: tests/conf/conf-e.c $(CONF_ALONE) conf/conf.h conf/cfint.h
	@mkdir -p $(dir $@)
	$(CC) $(CONF_ALONE_CFLAGS) -o $@ tests/conf/conf-e.c $(CONF_ALONE)

$(B)/fuzz/replay: fuzz/replay.c fuzz/fuzz_conf.c $(CONF_ALONE) conf/conf.h
	@mkdir -p $(dir $@)
	$(CC) $(CONF_ALONE_CFLAGS) -o $@ fuzz/replay.c fuzz/fuzz_conf.c $(CONF_ALONE)

$(B)/fuzz/fuzz_conf: fuzz/fuzz_conf.c $(CONF_ALONE) conf/conf.h
	@mkdir -p $(dir $@)
	clang-14 -std=gnu11 -g -O1 -Iinclude -Ilib/core -Iconf \
	    -fsanitize=fuzzer,address,undefined -o $@ fuzz/fuzz_conf.c $(CONF_ALONE)

conf-standalone: $(B)/conf/test_conf $(B)/conf/test_conf_api \
	    $(B)/conf/conf-e $(B)/fuzz/replay
	$(B)/conf/test_conf
	$(B)/conf/test_conf_api
	tests/conf/run.sh $(B)/conf/conf-e
	$(B)/fuzz/replay fuzz/corpus/*

conf-fuzz: $(B)/fuzz/fuzz_conf
conf-replay: $(B)/fuzz/replay
	$(B)/fuzz/replay fuzz/corpus/*

.PHONY: conf-standalone conf-fuzz conf-replay
