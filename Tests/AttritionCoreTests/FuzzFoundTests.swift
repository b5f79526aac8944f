@testable import AttritionCore
import Foundation
import TOMLKit
import Testing

/// Inputs the fuzzers found crashing a reader, each kept as a test of its own.
@Suite struct FuzzFoundTests {
    /// An archive shorter than an end-of-archive record (empty, or just a local header's
    /// signature) once read past the end of its bytes; it is now a clear error.
    @Test(arguments: [[], [0x50, 0x4B, 0x03, 0x04], Array(repeating: UInt8(0x50), count: 21)] as [[UInt8]])
    func anArchiveShorterThanItsEndRecordIsAClearError(bytes: [UInt8]) throws {
        let folder = TemporaryFolder()
        let path = folder.file("short.zip")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(throws: ImportError.self) { _ = try ZipReader(path: path) }
        if !bytes.isEmpty, bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            #expect(throws: ImportError.self) { _ = try CaseSource.detect(path: path).load() }
        }
    }

    /// TOML that made TOMLKit's bundled toml++ abort the process on an assertion (a table header
    /// of a bad key; a value cut short inside arrays): refused by the shape check with its line.
    @Test(arguments: ["[%ol[cou", "a = [[\"x\", [1, %]]", "[[measures]]\nid = \"x\"\n[a.%b]", "k = \"open", "k = [1, 2", "k = {a = 1, b}"])
    func malformedTOMLIsALineNotACrash(text: String) throws {
        #expect(throws: TOMLSyntaxError.self) { _ = try TOMLDocument.parse(text) }
        let folder = TemporaryFolder()
        try text.write(toFile: folder.file("attrition.toml"), atomically: true, encoding: .utf8)
        #expect(throws: MappingError.self) { _ = try Mapping.load(path: folder.file("attrition.toml")) }
    }

    /// Everything TOML allows in the files the tool reads still passes the check and parses.
    @Test func everyFormOfTOMLStillReads() throws {
        let text = #"""
            # a comment
            title = "basic \\ \"escaped\" \u00e9"   # trailing comment
            literal = 'C:\no\escapes'
            multi = """
            two
            lines"""
            raw = '''
            raw lines'''
            [columns]
            "quoted key" = "x"
            dotted.key = 1_000
            floats = [1.5, -2e3, +inf, nan]
            when = 1979-05-27 07:32:00Z
            day = 1979-05-27
            flags = [ true,
                      false, # comment inside
            ]
            inline = { a = 1, b = "two", c = [1, 2] }
            [[measures]]
            id = "x"
            [[measures]]
            id = 'y'
            """#
        let table = try TOMLDocument.parse(text)
        #expect(table["columns"]?.table?["dotted"]?.table?["key"]?.int == 1000)
        #expect(table["measures"]?.array?.count == 2)
        #expect(table["raw"]?.string == "raw lines")
    }
}
