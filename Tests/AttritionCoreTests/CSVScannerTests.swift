import AttritionCore
import Testing

@Suite struct CSVScannerTests {
    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let text = "a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nplain,,end\n"
        let records = try scanAll(text)
        #expect(records.count == 3)
        #expect(records[1].fields == ["x, y", "say \"hi\"", "two\nlines"])
        #expect(records[2].fields == ["plain", "", "end"])
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test func crlfAndLfGiveTheSameFields() throws {
        let lf = try scanAll("a,b\n1,2\n\"q\",4\n").map(\.fields)
        let crlf = try scanAll("a,b\r\n1,2\r\n\"q\",4\r\n").map(\.fields)
        #expect(lf == crlf)
        #expect(crlf[2] == ["q", "4"])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let records = try scanAll("\u{FEFF}case_id,x\n1,2\n")
        #expect(records[0].fields == ["case_id", "x"])
    }

    @Test func lastLineWithoutLineEndIsRead() throws {
        let records = try scanAll("a,b\n1,2")
        #expect(records.last?.fields == ["1", "2"])
        #expect(records.last?.raw == "1,2")
    }

    @Test func blankLinesAreNotRecordsButKeepLineNumbers() throws {
        let scanner = CSVScanner(source: MemoryByteSource("a,b\n\n1,2\r\n\r\n3,4\n"))
        var lines: [Int] = []
        while try scanner.next() { lines.append(scanner.line) }
        #expect(lines == [1, 3, 5])
        #expect(scanner.blankLines == 2)
    }

    @Test func recordsStraddlingEveryChunkBoundaryAreIdentical() throws {
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n1,2,3\r\n\"\",\"\"\"\",z"
        let whole = try scanAll(text)
        for chunk in 1...9 {
            let pieces = try scanAll(text, chunkSize: chunk)
            #expect(pieces.map(\.fields) == whole.map(\.fields), "chunk size \(chunk)")
            #expect(pieces.map(\.line) == whole.map(\.line), "chunk size \(chunk)")
            #expect(pieces.map(\.raw) == whole.map(\.raw), "chunk size \(chunk)")
        }
        #expect(whole[3].fields == ["", "\"", "z"])
    }

    @Test func rawRecordIsExactlyTheFileBytes() throws {
        let records = try scanAll("a,b\r\n\"x\"\"\",\"y\r\nz\"\r\n")
        #expect(records[1].raw == "\"x\"\"\",\"y\r\nz\"\r\n")
    }

    @Test func unterminatedQuoteRejectsOnlyItsLineAndReadingResumes() throws {
        let records = try scanAll("a,b\n1,\"open\n2,3\n4,5\n", chunkSize: 4)
        #expect(records.count == 4)
        #expect(records[1].problem == .unterminatedQuote)
        #expect(records[1].raw == "1,\"open\n")
        #expect(records[1].line == 2)
        #expect(records[2].fields == ["2", "3"])
        #expect(records[2].line == 3)
        #expect(records[3].line == 4)
    }

    @Test func textAfterClosingQuoteIsAProblem() throws {
        let records = try scanAll("a,b\n\"x\"y,2\n3,4\n")
        #expect(records[1].problem == .textAfterClosingQuote(field: 0))
        #expect(records[2].fields == ["3", "4"])
        #expect(records[2].problem == nil)
    }

    @Test func quoteInsideUnquotedFieldIsLiteral() throws {
        let records = try scanAll("a,b\n5'11\",x\n")
        #expect(records[1].fields == ["5'11\"", "x"])
    }
}
