// Surefire ran the @WeftTest methods, woven by weave-tests, on this run's JDK, and both passed.
import groovy.xml.XmlSlurper

def log = new File(basedir, 'build.log').text

// A class file's major version (61 for release 17, 69 for 25) and whether the weaver marked it.
def classFile = { String path ->
    byte[] b = new File(basedir, path).bytes
    [major: (b[6] & 0xff) << 8 | (b[7] & 0xff), woven: new String(b, 'ISO-8859-1').contains('Ldev/weft/internal/Woven;')]
}
['target/classes/demo/Heartbeat.class', 'target/test-classes/demo/HeartbeatTest.class'].each { path ->
    assert classFile(path) == [major: (expectedRelease as int) + 44, woven: true] : path
}

def report = new XmlSlurper().parse(new File(basedir, 'target/surefire-reports/TEST-demo.HeartbeatTest.xml'))
assert report.@tests.text() == '2'
assert report.@failures.text() == '0'
assert report.@errors.text() == '0'
assert report.@skipped.text() == '0'
assert report.properties.property.find { it.@name == 'java.specification.version' }.@value.text() == expectedJava
assert report.testcase*.@name*.text().sort() == [
        'beatsWithin_tenMinutesForFiftyFive_beatsFiveTimes(MockClock)',
        'nursery_twoSleepers_endWithTheLongerInVirtualTime(MockClock)']
assert log.contains('Tests run: 2, Failures: 0, Errors: 0, Skipped: 0')
return true
