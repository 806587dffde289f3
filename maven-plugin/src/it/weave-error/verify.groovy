// The build fails, listing every problem as File.java:line with the path from the source root.
def log = new File(basedir, 'build.log').text
assert log.contains('[ERROR] demo/Bad.java:12: Bad.notAsync() calls @Async Bad.leaf() but is not @Async. Fix: ')
assert log.contains('[ERROR] demo/Bad.java:17: Bad.holdsMonitor() calls @Async Bad.leaf() while holding a monitor')
assert log.contains('Weft cannot weave 1 class of ')
assert log.contains('(2 problems):')
assert !new String(new File(basedir, 'target/classes/demo/Bad.class').bytes, 'ISO-8859-1').contains('Ldev/weft/internal/Woven;')
return true
