# Sourced by ./build, ./triplicate and .ci/run: picks a JDK >= 21 without any exports from the user.
# Order: JAVA_HOME if it is a JDK >= 21, else the newest JDK >= 21 under /usr/lib/jvm (or /Library/Java on macOS),
# else the `java` on PATH if it is >= 21.
_triplicate_java_major() { # prints the major version of the java binary $1
  # the JDK's release file says it without starting a JVM (~0.1 s each, for every candidate, on every run)
  local release v
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9][0-9]*\).*/\2/p' "$release" | head -1)
    if [ -n "$v" ]; then echo "$v"; return 0; fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2; exit}' | sed 's/^1\.//'
}
_triplicate_pick_jdk() {
  local cand best="" best_v=0 v
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(_triplicate_java_major "$JAVA_HOME/bin/java")
    if [ "${v:-0}" -ge 21 ] 2>/dev/null; then echo "$JAVA_HOME"; return 0; fi
  fi
  for cand in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$cand/bin/javac" ] || continue
    v=$(_triplicate_java_major "$cand/bin/java")
    if [ "${v:-0}" -ge 21 ] 2>/dev/null && [ "$v" -gt "$best_v" ]; then best="$cand"; best_v="$v"; fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    cand=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(_triplicate_java_major "$cand/bin/java")
    if [ "${v:-0}" -ge 21 ] 2>/dev/null; then best="$cand"; fi
  fi
  [ -n "$best" ] || { echo "triplicate: no JDK 21 or newer found (looked at JAVA_HOME, /usr/lib/jvm, PATH); install one, e.g. 'apt-get install openjdk-21-jdk'" >&2; return 1; }
  echo "$best"
}
JAVA_HOME="$(_triplicate_pick_jdk)" || exit 1
export JAVA_HOME
# Maven's bundled Guava uses sun.misc.Unsafe; JDK 23+ warns about it on every build. Allow it quietly.
if [ "$(_triplicate_java_major "$JAVA_HOME/bin/java")" -ge 23 ] 2>/dev/null; then
  case " ${MAVEN_OPTS:-} " in *unsafe-memory-access*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
fi
export PATH="$JAVA_HOME/bin:$PATH"
