// Compiled by plain javac and woven only as it loaded, under -javaagent: the class on disk is not
// woven, yet the program ran as the woven one does, on this run's JDK.
def log = new File(basedir, 'build.log').text
def lines = log.readLines().collect { it.replaceAll(/\u001B\[[;\d]*m/, '') }   // without colour codes

// A class file's major version (61 for release 17, 69 for 25) and whether the weaver marked it.
def classFile = { String path ->
    byte[] b = new File(basedir, path).bytes
    [major: (b[6] & 0xff) << 8 | (b[7] & 0xff), woven: new String(b, 'ISO-8859-1').contains('Ldev/weft/internal/Woven;')]
}
def main = classFile('target/classes/demo/Main.class')
assert !main.woven : 'Main.class on disk is as javac wrote it'
assert main.major == (expectedRelease as int) + 44
assert !log.contains('weft-maven-plugin')
assert new File(basedir, 'target/agent/weft-agent.jar').isFile()

def at = { String line ->
    def i = lines.indexOf(line)
    assert i >= 0 : "the program printed '$line'"
    i
}
at('[weft] WOVEN demo.Main (5 methods)')   // stderr: its place among the stdout lines is not fixed
assert !lines.any { it.startsWith('[weft] ERROR') }
at("main: Java $expectedJava")
def lastStart = Math.max(at('child1: started'), at('child2: started'))
def firstExit = Math.min(at('child1: exiting'), at('child2: exiting'))
assert lastStart < firstExit : 'the children slept at the same time'
def end = lines.findIndexOf { it ==~ /main: all children exited after \d+ ms/ }
assert end > Math.max(at('child1: exiting'), at('child2: exiting')) : 'the nursery waited for both children'
assert (lines[end] =~ /(\d+) ms/)[0][1].toInteger() >= 50 : lines[end]
return true
