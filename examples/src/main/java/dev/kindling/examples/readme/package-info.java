/**
 * The README's code, as complete programs: the README shows each file from its first import to
 * its end, {@code ReadmeSnippetsTest} fails when the two differ and runs every one of them, and
 * each runs with {@code mvn -q -DskipTests -pl examples -am package exec:exec
 * -Dkindling.main=dev.kindling.examples.readme.NAME} (the build sets the JVM options they need).
 */
package dev.kindling.examples.readme;
