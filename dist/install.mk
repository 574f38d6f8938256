# SPDX-License-Identifier: GPL-2.0-or-later
# silk — installing, man pages and the Debian package. Included by the top Makefile.
#
#   make man                  render docs/man/*.scd with scdoc into $(BUILD)/man/
#   make install              programs, man pages, completions, systemd user units and the
#                             example config under $(DESTDIR)$(PREFIX) (default /usr/local)
#   make uninstall            remove exactly the files `make install` put there
#   make deb                  build the .debs (dpkg-buildpackage) into $(BUILD)/deb/
#   make deb-test             build them, run lintian, unpack into a clean root, run them
#
# silkd goes to bin/ with the two other programs, not sbin/: it is a user's daemon (a
# systemd *user* unit), `silk --start` runs the silkd beside silk, and silkd runs the
# silk-index beside itself. Its page is still silkd(8), the section of daemons.

DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
DOCDIR ?= $(DATADIR)/doc/silk
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR ?= $(DATADIR)/zsh/site-functions
FISHCOMPDIR ?= $(DATADIR)/fish/vendor_completions.d
SYSTEMDUSERDIR ?= $(PREFIX)/lib/systemd/user
INSTALL ?= install
SCDOC ?= scdoc
DEB_OUT ?= $(BUILD)/deb

# What is installed, each list once: uninstall removes the same names.
MAN_SRCS = $(wildcard docs/man/*.scd)
MAN_NAMES = $(notdir $(MAN_SRCS:.scd=))
MAN_PAGES = $(addprefix $(BUILD)/man/,$(MAN_NAMES))
INST_PROGRAMS = silk silk-index silkd
BASH_COMP_NAMES = $(patsubst %.bash,%,$(notdir $(wildcard dist/completions/*.bash)))
ZSH_COMPS = $(notdir $(wildcard dist/completions/_*))
FISH_COMPS = $(notdir $(wildcard dist/completions/*.fish))
UNITS = $(notdir $(wildcard dist/systemd/*.service dist/systemd/*.socket dist/systemd/*.path))
DOCS = silk.conf.example

INSTALLED_FILES = $(addprefix $(BINDIR)/,$(INST_PROGRAMS)) \
	$(foreach m,$(MAN_NAMES),$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(m)) \
	$(addprefix $(BASHCOMPDIR)/,$(BASH_COMP_NAMES)) \
	$(addprefix $(ZSHCOMPDIR)/,$(ZSH_COMPS)) \
	$(addprefix $(FISHCOMPDIR)/,$(FISH_COMPS)) \
	$(addprefix $(SYSTEMDUSERDIR)/,$(UNITS)) \
	$(addprefix $(DOCDIR)/,$(DOCS))

.PHONY: programs man install uninstall deb deb-test

programs: $(PROGRAMS)

man: $(MAN_PAGES)

$(BUILD)/man/%: docs/man/%.scd
	@mkdir -p $(dir $@)
	$(SCDOC) <$< >$@.tmp
	@mv $@.tmp $@

# What install builds first; the tests set it to `man` to install the programs under test
# ($(BIN), maybe a sanitizer build) as they are.
INSTALL_PREREQS ?= programs man

install: $(INSTALL_PREREQS)
	$(INSTALL) -d $(DESTDIR)$(BINDIR)
	$(INSTALL) -m 0755 $(addprefix $(BIN)/,$(INST_PROGRAMS)) $(DESTDIR)$(BINDIR)/
	$(foreach s,$(sort $(subst .,,$(suffix $(MAN_NAMES)))),\
		$(INSTALL) -d $(DESTDIR)$(MANDIR)/man$(s) && \
		$(INSTALL) -m 0644 $(filter %.$(s),$(MAN_PAGES)) $(DESTDIR)$(MANDIR)/man$(s)/ &&) true
	$(INSTALL) -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	$(foreach c,$(BASH_COMP_NAMES),\
		$(INSTALL) -m 0644 dist/completions/$(c).bash $(DESTDIR)$(BASHCOMPDIR)/$(c) &&) true
	$(INSTALL) -m 0644 $(addprefix dist/completions/,$(ZSH_COMPS)) $(DESTDIR)$(ZSHCOMPDIR)/
	$(INSTALL) -m 0644 $(addprefix dist/completions/,$(FISH_COMPS)) $(DESTDIR)$(FISHCOMPDIR)/
	$(INSTALL) -d $(DESTDIR)$(SYSTEMDUSERDIR)
	$(foreach u,$(UNITS),\
		sed 's|@BINDIR@|$(BINDIR)|g' dist/systemd/$(u) >$(DESTDIR)$(SYSTEMDUSERDIR)/$(u) && \
		chmod 0644 $(DESTDIR)$(SYSTEMDUSERDIR)/$(u) &&) true
	$(INSTALL) -d $(DESTDIR)$(DOCDIR)
	$(INSTALL) -m 0644 $(addprefix dist/,$(DOCS)) $(DESTDIR)$(DOCDIR)/

# Only the files install wrote, and the one folder that is silk's own (DOCDIR); shared
# folders such as share/man/man1 stay.
uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED_FILES))
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null

# dpkg-buildpackage writes its results into the parent of the tree it builds, so it builds
# a copy of this checkout inside $(DEB_OUT) and the results land there, never beside the
# checkout.
deb:
	@./scripts/install-deps.sh --deb
	./dist/build-deb.sh $(DEB_OUT)

deb-test: programs
	@./scripts/install-deps.sh --deb
	@SILK_TEST_DEB=1 DEB_OUT=$(DEB_OUT) bash tests/e2e/deb.sh
