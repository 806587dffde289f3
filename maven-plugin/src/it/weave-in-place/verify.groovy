// Checks what the two builds of this project left behind.
def log = new File(basedir, 'build.log').text

def woven = { String path ->
    def bytes = new File(basedir, path).bytes
    new String(bytes, 'ISO-8859-1').contains('Ldev/weft/internal/Woven;')
}

assert woven('target/classes/demo/Fetcher.class') : 'Fetcher.class carries the Woven marker'
assert !woven('target/classes/demo/Plain.class') : 'Plain.class has no @Async method and is left alone'
assert woven('target/test-classes/demo/FetcherUser.class') : 'the test class is woven against target/classes'

assert log.contains('woven 1 class (2 methods, 2 suspension points), 0 already woven, 1 unchanged')
assert log.contains('woven 1 class (1 method, 2 suspension points), 0 already woven, 0 unchanged')
assert log.contains('woven 0 classes (0 methods, 0 suspension points), 1 already woven, 1 unchanged; nothing changed since the last weave')
assert log.contains('woven 0 classes (0 methods, 0 suspension points), 1 already woven, 0 unchanged; nothing changed since the last weave')
assert new File(basedir, 'target/weft/weave-default.state').isFile()
assert new File(basedir, 'target/weft/weave-tests-default.state').isFile()
return true
