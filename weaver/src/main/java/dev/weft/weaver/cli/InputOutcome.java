package dev.weft.weaver.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What weaving one input gave, held between reading all inputs and writing any output.
 *
 * @param input the directory or jar, as given
 * @param jar whether the input is a jar
 * @param files for a directory, every regular file under it, relative and {@code /}-separated,
 *     sorted; empty for a jar, which is read again entry by entry when written
 * @param woven the new bytes of each class the weaver rewrote, by relative path or entry name
 * @param refused the relative paths or entry names of the classes the weaver refused
 * @param signed whether a jar carries signature files ({@code META-INF/*.SF})
 */
record InputOutcome(Path input, boolean jar, List<String> files, Map<String, byte[]> woven, Set<String> refused,
                    boolean signed) {
}
