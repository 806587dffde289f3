/**
 * The Weft Maven plugin: goals that weave the {@code @Async} methods of a project's compiled
 * classes in place, so that the jar, the tests and everything downstream see woven code.
 *
 * <p>{@code weave} rewrites {@code target/classes} at {@code process-classes}, against the
 * compile class path; {@code weave-tests} rewrites {@code target/test-classes} at
 * {@code process-test-classes}, against the test class path. Neither forks the lifecycle.
 *
 * {@snippet lang=xml :
 * <plugin>
 *   <groupId>dev.weft</groupId>
 *   <artifactId>weft-maven-plugin</artifactId>
 *   <version>${weft.version}</version>
 *   <executions>
 *     <execution>
 *       <goals>
 *         <goal>weave</goal>
 *         <goal>weave-tests</goal>
 *       </goals>
 *     </execution>
 *   </executions>
 *   <configuration>
 *     <failOnWarning>true</failOnWarning>          <!-- optional -->
 *     <excludes><exclude>com/acme/legacy/</exclude></excludes>
 *   </configuration>
 * </plugin>
 * }
 *
 * <p>A weave problem fails the build with every problem listed as
 * {@code a/b/Fetcher.java:42: message. Fix: ...}. Already woven classes are left alone, and a
 * small state file under {@code target/weft/} lets an unchanged build skip reading any class
 * (see {@link dev.weft.maven.DirectoryWeaver}, which does the work and runs without Maven).
 */
package dev.weft.maven;
