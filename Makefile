# kodbok: the two commands a user needs are `make demo` and `make test`.
# Both install missing Debian packages first (tools/install-deps.sh).
# This file only drives CMake; the build itself is in CMakeLists.txt.

BUILD      ?= build
ASAN_BUILD ?= build-asan
CMAKE_FLAGS ?=
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
PREFIX     ?= /usr/local

.PHONY: all deps build demo test sanitize fuzz install uninstall deb bench portable analyze format format-check clean

all: build

deps:
	@sh tools/install-deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	      -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@sh tools/demo.sh $(BUILD)/tools/kodbok

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The suite again under AddressSanitizer and UBSan; the browser tests
# (label web) test the page's script, whose server side the cli/serve*
# tests run under the sanitizers already, and LibreOffice's renders of
# the files written (KODBOK_TEST_NO_OFFICE) test their bytes, the same
# in both runs. -O1 keeps the reports' stacks whole and runs the suite
# faster than -O0.
# Built by Clang (SANITIZE_CC), so that the suite is built by both
# compilers: GCC in make test, Clang here.
SANITIZE_CC ?= clang
sanitize: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug \
	      -DCMAKE_C_COMPILER=$(SANITIZE_CC) -DCMAKE_C_FLAGS_DEBUG="-O1 -g" \
	      -DKODBOK_SANITIZE=address,undefined $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && KODBOK_TEST_NO_OFFICE=1 ctest --output-on-failure -j $(JOBS) -LE web

# The fuzz targets as libFuzzer programs (clang, ASan and UBSan), each run
# for FUZZ_SECONDS from its saved corpus (docs/fuzzing.md); FUZZ_TARGETS
# picks some. New inputs stay in $(FUZZ_BUILD)/work/NAME.
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?=
fuzz:
	@sh tools/install-deps.sh fuzz
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang \
	      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKODBOK_FUZZ=ON -DKODBOK_TESTS=OFF
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzzers
	sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Benchmarks against peers measured in the same run (needs ../shared).
# BENCH_MB=20 builds a smaller corpus, for quicker rounds while tuning.
SHARED ?= ../shared
BENCH_MB ?= 100
bench: build
	cmake --build $(BUILD) --target bench_naive
	bash tests/bench/run.sh $(BUILD)/tools/kodbok $(BUILD)/tests/bench_naive $(SHARED) $(BENCH_MB)

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# The Debian package (CPack): built for /usr in a folder of its own,
# without the tests, and copied to out/.
DEB_BUILD ?= build-deb
deb: deps
	cmake -S . -B $(DEB_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	      -DCMAKE_INSTALL_PREFIX=/usr -DKODBOK_TESTS=OFF \
	      -DKODBOK_ZSH_COMPLETIONS_DIR=share/zsh/vendor-completions $(CMAKE_FLAGS)
	cmake --build $(DEB_BUILD) -j $(JOBS)
	cd $(DEB_BUILD) && cpack -G DEB
	mkdir -p out && cp $(DEB_BUILD)/kodbok_*.deb out/
	@ls out/kodbok_*.deb

# Removes what the last `make install` put in place.
uninstall:
	cmake --build $(BUILD) --target uninstall

# The library and the CLI with POSIX's calls alone (KODBOK_PORTABLE: none
# of Linux's own, as on macOS or the BSDs), so that nothing Linux-only
# slips in unguarded; -O0, as only the compiling is checked.
PORTABLE_BUILD ?= build-portable
portable: deps
	cmake -S . -B $(PORTABLE_BUILD) -DCMAKE_BUILD_TYPE=Debug \
	      -DCMAKE_C_FLAGS_DEBUG="-O0" -DKODBOK_PORTABLE=ON \
	      -DKODBOK_TESTS=OFF $(CMAKE_FLAGS)
	cmake --build $(PORTABLE_BUILD) -j $(JOBS) --target kodbok_cli

# The static analyzer on the library (cppcheck): warnings and portability
# issues fail; a finding that is wrong is suppressed where it is, with why.
analyze: build
	cppcheck --quiet --enable=warning,portability --error-exitcode=1 \
	    --inline-suppr --std=c11 --suppress=missingIncludeSystem \
	    -I core/include -I core/src -D_POSIX_C_SOURCE=200809L \
	    -DPCRE2_CODE_UNIT_WIDTH=8 \
	    '-DKBI_STOPWORDS_INC="$(CURDIR)/$(BUILD)/core/generated/stopwords_sv.inc"' \
	    core/src

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(PORTABLE_BUILD) $(DEB_BUILD) out
