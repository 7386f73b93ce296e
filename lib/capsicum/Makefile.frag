# lib/capsicum: libvjcap, FreeBSD's Capsicum API for programs in (or out
# of) jails: capability mode with seccomp + Landlock, rights calls that
# fail with ENOSYS.  Apart from libvjail: a sandboxed program needs
# libseccomp only.  Tests: tests/capmode.
CAP_SRCS := $(wildcard lib/capsicum/*.c)
CAP_OBJS := $(CAP_SRCS:%.c=$(B)/%.o)
CAP_LIBS := $(shell pkg-config --libs libseccomp)

$(B)/libvjcap.a: $(CAP_OBJS)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(B)/libvjcap.so: $(CAP_OBJS)
	$(Q)$(CC) -shared -Wl,-soname,libvjcap.so.0 -o $@ $^ $(CAP_LIBS)
