# Sourced by ./mvnw and ./nano: exports JAVA_HOME pointing at a JDK 25 or newer.
# The optimizing GraalJS compiler (JVMCI, compiler jars 25.0.x) needs JDK 25; older JDKs would
# silently run JavaScript in the interpreter, 5-40x slower, so they are refused here.
nano_jdk_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

nano_find_jdk() {
  local wanted=25 candidate major
  for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" \
                   $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidate="${candidate%/}"
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major="$(nano_jdk_major "$candidate")"
    if [ -n "$major" ] && [ "$major" -ge "$wanted" ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  cat >&2 <<MSG
NANO needs a JDK $wanted or newer, and none was found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm/*).
Install one, for example Temurin 25 (Debian package temurin-25-jdk from the Adoptium repository),
or point JAVA_HOME at it.
MSG
  return 1
}

nano_find_jdk || exit 1
