# vjail: one non-recursive Makefile.  `make`, `make check` (no root),
# `make check-root` (integration, as root), `make install`.

PREFIX	?= /usr/local
DESTDIR	?=
LIBDIR	?= $(PREFIX)/lib
SBINDIR	?= $(PREFIX)/sbin
INCDIR	?= $(PREFIX)/include
MANDIR	?= $(PREFIX)/share/man
SYSTEMDDIR ?= $(PREFIX)/lib/systemd/system

CC	?= cc
.DEFAULT_GOAL := all
B	:= build
PKGS	:= libmnl libseccomp libcap json-c
WARN	:= -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
	   -Wpointer-arith -Wcast-qual -Wformat=2 -Wundef -Wno-format-truncation -Werror
CFLAGS	?= -O2 -g
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE -fPIC $(WARN) $(CFLAGS) -Iinclude -Ilib/core \
	   -Ilib/nl -Ilib/subsys -Iconf $(shell pkg-config --cflags $(PKGS))
LIBS	:= -Wl,--as-needed $(shell pkg-config --libs $(PKGS))
# The tools link libseccomp, libcap and json-c statically where Debian
# ships the archives: each one loaded at run time costs jexec time.
STATIC_OK := $(foreach l,seccomp cap json-c,$(if $(wildcard /usr/lib/$(shell gcc -dumpmachine)/lib$(l).a),$(l)))
TOOL_LIBS := -Wl,--as-needed -Wl,-Bstatic $(addprefix -l,$(STATIC_OK)) \
	   -Wl,-Bdynamic $(filter-out $(addprefix -l,$(STATIC_OK)),$(shell pkg-config --libs $(PKGS)))

CORE_SRCS := $(wildcard lib/core/*.c)
SUBSYS_SRCS := $(wildcard lib/subsys/*.c)
# Parts built by their own fragments once they are ready.
NL_SRCS	:=
CONF_SRCS :=
-include lib/nl/Makefile.frag
-include conf/Makefile.frag
-include lib/capsicum/Makefile.frag
COMPAT_SRCS := $(wildcard lib/compat/*.c)
LIB_SRCS := $(CORE_SRCS) $(SUBSYS_SRCS) $(NL_SRCS) $(COMPAT_SRCS)
LIB_OBJS := $(LIB_SRCS:%.c=$(B)/%.o)

CONF_OBJS := $(CONF_SRCS:%.c=$(B)/%.o)

# A tool is built once its folder has sources.
TOOLS	:= $(foreach t,jail jls jexec epair,$(if $(wildcard cmd/$(t)/*.c),$(t)))
TOOL_BINS := $(addprefix $(B)/,$(TOOLS))

all: $(B)/libvjail.a $(B)/libvjail.so $(B)/libvjcap.a $(B)/libvjcap.so \
	$(TOOL_BINS) $(B)/vjail.pc

Q	?= @
$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/libvjail.a: $(LIB_OBJS)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(B)/libvjail.so: $(LIB_OBJS)
	$(Q)$(CC) -shared -Wl,-soname,libvjail.so.0 -o $@ $^ $(LIBS)

$(B)/libvjconf.a: $(CONF_OBJS)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

# Each tool is the files of its folder, over the static library.
define tool
$(B)/$(1): $(patsubst %.c,$(B)/%.o,$(wildcard cmd/$(1)/*.c)) $(B)/libvjconf.a $(B)/libvjail.a
	@echo "  LD      $$@"
	$(Q)$$(CC) $$(CFLAGS) -o $$@ $$^ $(TOOL_LIBS)
endef
$(foreach t,$(TOOLS),$(eval $(call tool,$(t))))

$(B)/vjail.pc: vjail.pc.in
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	    -e 's|@INCDIR@|$(INCDIR)|g' $< > $@

-include tests/Makefile.frag
-include bench/Makefile.frag

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
	    $(DESTDIR)$(INCDIR) $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man3
	install -m 755 $(TOOL_BINS) $(DESTDIR)$(SBINDIR)
	install -m 644 $(B)/libvjail.a $(DESTDIR)$(LIBDIR)
	install -m 755 $(B)/libvjail.so $(DESTDIR)$(LIBDIR)/libvjail.so.0
	ln -sf libvjail.so.0 $(DESTDIR)$(LIBDIR)/libvjail.so
	install -m 644 include/vjail.h include/jail.h $(DESTDIR)$(INCDIR)
	install -m 644 $(B)/libvjcap.a $(DESTDIR)$(LIBDIR)
	install -m 755 $(B)/libvjcap.so $(DESTDIR)$(LIBDIR)/libvjcap.so.0
	ln -sf libvjcap.so.0 $(DESTDIR)$(LIBDIR)/libvjcap.so
	install -d $(DESTDIR)$(INCDIR)/sys
	install -m 644 include/sys/capsicum.h $(DESTDIR)$(INCDIR)/sys
	install -m 644 $(B)/vjail.pc $(DESTDIR)$(LIBDIR)/pkgconfig
	for m in man/*.8; do [ -f "$$m" ] && install -m 644 $$m $(DESTDIR)$(MANDIR)/man8; done; true
	for m in man/*.5; do [ -f "$$m" ] && install -m 644 $$m $(DESTDIR)$(MANDIR)/man5; done; true
	for m in man/*.3; do [ -f "$$m" ] && install -m 644 $$m $(DESTDIR)$(MANDIR)/man3; done; true
	install -d $(DESTDIR)$(SYSTEMDDIR) $(DESTDIR)$(PREFIX)/share/examples/vjail
	for u in boot/*.service; do \
	    sed 's|/usr/local/sbin|$(SBINDIR)|g' $$u > $(DESTDIR)$(SYSTEMDDIR)/$${u#boot/}; \
	    chmod 644 $(DESTDIR)$(SYSTEMDDIR)/$${u#boot/}; done
	install -m 644 examples/*.conf $(DESTDIR)$(PREFIX)/share/examples/vjail

clean:
	rm -rf $(B)

.PHONY: all install clean
-include $(shell find $(B) -name '*.d' 2>/dev/null)
