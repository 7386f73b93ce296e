# lib/nl: the netlink layer (libmnl).  Unit tests: tests/unit/test_nl.c
# (no root) and tests/unit/test_nl_root.c (root; skips otherwise).
NL_SRCS := lib/nl/addr.c lib/nl/link.c lib/nl/msg.c lib/nl/parse.c \
	   lib/nl/msg_tc.c lib/nl/query.c lib/nl/sock.c lib/nl/tc.c
NL_LIBS := $(shell pkg-config --libs libmnl)
