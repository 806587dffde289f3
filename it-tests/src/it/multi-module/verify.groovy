// Greeter's default method is woven in api; the class, the lambda and the method reference that
// implement Greeter are woven in impl against the api jar; main ran them all in one nursery.
def log = new File(basedir, 'build.log').text
def lines = log.readLines().collect { it.replaceAll(/\u001B\[[;\d]*m/, '') }   // without colour codes

// A class file's major version (61 for release 17, 69 for 25) and whether the weaver marked it.
def classFile = { String path ->
    byte[] b = new File(basedir, path).bytes
    [major: (b[6] & 0xff) << 8 | (b[7] & 0xff), woven: new String(b, 'ISO-8859-1').contains('Ldev/weft/internal/Woven;')]
}
['api/target/classes/demo/api/Greeter.class', 'impl/target/classes/demo/impl/SlowGreeter.class',
 'impl/target/classes/demo/impl/Main.class'].each { path ->
    assert classFile(path) == [major: (expectedRelease as int) + 44, woven: true] : path
}
// api, then impl
assert lines.findAll { it.startsWith('[INFO] woven ') } == [
        '[INFO] woven 1 class (1 method, 2 suspension points), 0 already woven, 0 unchanged',
        '[INFO] woven 2 classes (8 methods, 8 suspension points), 0 already woven, 0 unchanged']

def start = lines.indexOf("java:      $expectedJava".toString())
assert start >= 0 : "the program ran on Java $expectedJava"
assert lines.subList(start + 1, start + 4) == [
        'class:     hello ann, hello bob',
        'lambda:    HELLO CY, HELLO DEE',
        'reference: good day eve']
return true
