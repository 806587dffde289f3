// javac compiled Bad.java; weaving it failed the build, naming each problem as the plugin prints
// it: the path from the source root, the line, the method, the fix. Bad.class was not rewritten.
def log = new File(basedir, 'build.log').text
def source = new File(basedir, 'src/main/java/demo/Bad.java').readLines()
def lineOf = { String code -> source.findIndexOf { it.contains(code) } + 1 }

assert log.contains('Failed to execute goal dev.weft:weft-maven-plugin:')
assert log.contains("[ERROR] demo/Bad.java:${lineOf('fetch(urls.get(0));')}: Bad.fetchFirst(List) calls @Async Bad.fetch(String) but is not @Async. Fix: annotate fetchFirst() with @Async, or start it with Weft.run(...).")
assert log.contains("[ERROR] demo/Bad.java:${lineOf('urls.forEach(')}: a lambda in Bad.fetchAll(List) implements Consumer.accept(Object), which is not @Async, but calls @Async Bad.fetch(String). Fix: ")
assert log.contains('Weft cannot weave 1 class of ')
assert log.contains('(2 problems):')

// A class file's major version (61 for release 17, 69 for 25) and whether the weaver marked it.
def classFile = { String path ->
    byte[] b = new File(basedir, path).bytes
    [major: (b[6] & 0xff) << 8 | (b[7] & 0xff), woven: new String(b, 'ISO-8859-1').contains('Ldev/weft/internal/Woven;')]
}
assert classFile('target/classes/demo/Bad.class') == [major: (expectedRelease as int) + 44, woven: false] : 'as javac wrote it'
return true
