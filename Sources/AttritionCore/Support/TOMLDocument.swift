import TOMLKit

/// Why a TOML file could not be read, and on which line.
public struct TOMLSyntaxError: Error, Equatable, Sendable {
    /// The line (from 1).
    public let line: Int
    /// What is wrong there.
    public let reason: String
}

/// Every TOML file the tool reads (mappings, measures, settings) is parsed here: its shape is
/// checked first, then TOMLKit parses it. The check exists because TOMLKit's bundled toml++
/// stops the whole process on an internal assertion for some malformed input (`[%ol[cou`,
/// found by fuzzing) instead of reporting an error, so toml++ is only given text whose every
/// line is a comment, a table header or a key and a value of TOML's forms. The check builds no
/// values: reading them stays TOMLKit's.
public enum TOMLDocument {
    /// The table `text` holds, or the first line that is not TOML.
    public static func parse(_ text: String) throws(TOMLSyntaxError) -> TOMLTable {
        var shape = TOMLShape(Array(text.utf8))
        try shape.document()
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw TOMLSyntaxError(line: error.source.begin.line, reason: error.description)
        } catch {
            throw TOMLSyntaxError(line: 1, reason: "\(error)")
        }
    }
}

/// A scan of TOML's grammar over bytes (TOML 1.0: comments, `[table]` and `[[array]]` headers,
/// dotted bare or quoted keys, and values: strings of all four kinds, arrays, inline tables,
/// and numbers, booleans and dates as one token of their characters).
struct TOMLShape {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    /// How deep arrays and inline tables nest; TOML files here never need more.
    private var depth = 0
    private static let maxDepth = 32

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private func fail(_ reason: String) -> TOMLSyntaxError { TOMLSyntaxError(line: line, reason: reason) }

    private mutating func advance() {
        if current == 0x0A { line += 1 }
        index += 1
    }

    /// The whole document: one line after another.
    mutating func document() throws(TOMLSyntaxError) {
        while current != nil {
            skipSpaces()
            switch current {
            case nil: return
            case UInt8(ascii: "#"), 0x0A, 0x0D: break
            case UInt8(ascii: "["): try header()
            default: try keyValue()
            }
            try endOfLine()
        }
    }

    /// `[key]` or `[[key]]`.
    private mutating func header() throws(TOMLSyntaxError) {
        advance()
        let array = current == UInt8(ascii: "[")
        if array { advance() }
        skipSpaces()
        try key()
        skipSpaces()
        guard current == UInt8(ascii: "]") else { throw fail("a table header must end with ]") }
        advance()
        if array {
            guard current == UInt8(ascii: "]") else { throw fail("an array-of-tables header must end with ]]") }
            advance()
        }
    }

    /// `key = value`.
    private mutating func keyValue() throws(TOMLSyntaxError) {
        try key()
        skipSpaces()
        guard current == UInt8(ascii: "=") else { throw fail("expected = after the key") }
        advance()
        skipSpaces()
        try value()
    }

    /// A dotted key of bare or quoted parts.
    private mutating func key() throws(TOMLSyntaxError) {
        while true {
            switch current {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): try string(multiline: false)
            case let byte? where TOMLShape.isBare(byte):
                while let byte = current, TOMLShape.isBare(byte) { advance() }
            default: throw fail("expected a key (letters, digits, _ and -, or a quoted string)")
            }
            skipSpaces()
            guard current == UInt8(ascii: ".") else { return }
            advance()
            skipSpaces()
        }
    }

    /// A value of any of TOML's forms.
    private mutating func value() throws(TOMLSyntaxError) {
        switch current {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            let quote = current!
            let multiline = index + 2 < bytes.count && bytes[index + 1] == quote && bytes[index + 2] == quote
            try string(multiline: multiline)
        case UInt8(ascii: "["): try nested(close: UInt8(ascii: "]")) { (shape: inout TOMLShape) throws(TOMLSyntaxError) in try shape.value() }
        case UInt8(ascii: "{"): try nested(close: UInt8(ascii: "}")) { (shape: inout TOMLShape) throws(TOMLSyntaxError) in try shape.keyValue() }
        case let byte? where TOMLShape.isScalar(byte):
            while let byte = current, TOMLShape.isScalar(byte) || (byte == 0x20 && index + 1 < bytes.count && TOMLShape.isDigit(bytes[index + 1])
                                                                   && index > 0 && TOMLShape.isDigit(bytes[index - 1])) {
                advance()  // a date and time may be split by one space: 1979-05-27 07:32:00
            }
        default: throw fail("expected a value (a string, number, true or false, date, array or inline table)")
        }
    }

    /// An array (`[v, v, …]`, over lines, comments and a trailing comma allowed) or an inline
    /// table (`{k = v, …}`, on one line), each element read by `element`.
    private mutating func nested(close: UInt8, element: (inout TOMLShape) throws(TOMLSyntaxError) -> Void) throws(TOMLSyntaxError) {
        depth += 1
        guard depth <= TOMLShape.maxDepth else { throw fail("arrays and inline tables nest more than \(TOMLShape.maxDepth) deep") }
        let isArray = close == UInt8(ascii: "]")
        advance()
        while true {
            if isArray { try skipBlankLinesAndComments() } else { skipSpaces() }
            if current == close { break }
            try element(&self)
            if isArray { try skipBlankLinesAndComments() } else { skipSpaces() }
            if current == UInt8(ascii: ",") {
                advance()
                continue
            }
            guard current == close else { throw fail(isArray ? "expected , or ] in the array" : "expected , or } in the inline table") }
            break
        }
        advance()
        depth -= 1
    }

    /// A basic or literal string, on one line or (with three quotes) several.
    private mutating func string(multiline: Bool) throws(TOMLSyntaxError) {
        let quote = current!
        let width = multiline ? 3 : 1
        for _ in 0..<width { advance() }
        while true {
            guard let byte = current else { throw fail("a string is not closed") }
            if byte == quote, !multiline || (index + 2 < bytes.count && bytes[index + 1] == quote && bytes[index + 2] == quote) {
                for _ in 0..<width { advance() }
                if multiline { while current == quote, index < bytes.count { advance() } }  // up to two quotes may end the content
                return
            }
            if byte == 0x0A || byte == 0x0D {
                guard multiline else { throw fail("a string is not closed on its line") }
            } else if (byte < 0x20 && byte != 0x09) || byte == 0x7F {
                throw fail("a string holds a control character")
            }
            if byte == UInt8(ascii: "\\"), quote == UInt8(ascii: "\"") {
                advance()
                guard let escaped = current else { throw fail("a string is not closed") }
                if !(multiline && (escaped == 0x0A || escaped == 0x0D || escaped == 0x20 || escaped == 0x09))
                    && !Array("btnfr\"\\uU".utf8).contains(escaped) {
                    throw fail("a string holds an unknown escape \\\(Character(UnicodeScalar(escaped)))")
                }
            }
            advance()
        }
    }

    /// Spaces and tabs.
    private mutating func skipSpaces() {
        while current == 0x20 || current == 0x09 { advance() }
    }

    /// Spaces, line breaks and comments (inside an array).
    private mutating func skipBlankLinesAndComments() throws(TOMLSyntaxError) {
        while true {
            skipSpaces()
            if current == UInt8(ascii: "#") { try comment() }
            guard current == 0x0A || current == 0x0D else { return }
            advance()
        }
    }

    /// A comment, up to the end of its line.
    private mutating func comment() throws(TOMLSyntaxError) {
        while let byte = current, byte != 0x0A {
            if (byte < 0x20 && byte != 0x09 && byte != 0x0D) || byte == 0x7F { throw fail("a comment holds a control character") }
            advance()
        }
    }

    /// What may follow a line's content: spaces, a comment, the line's end.
    private mutating func endOfLine() throws(TOMLSyntaxError) {
        skipSpaces()
        if current == UInt8(ascii: "#") { try comment() }
        if current == 0x0D { advance() }
        guard current == nil || current == 0x0A else { throw fail("unexpected text after the line's content") }
        if current == 0x0A { advance() }
    }

    private static func isBare(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Characters of numbers, booleans, dates and times (`+-.:_` and letters for `inf`, `nan`, `e`, `T`, `Z`, `0x`).
    private static func isScalar(_ byte: UInt8) -> Bool { isBare(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":") }
}

/// TOML written by the program.
public enum TOMLText {
    /// `text` as a TOML basic string: quotes and backslashes escaped, and every control character
    /// or bidirectional control written as a `\uXXXX` escape, so the file holds none raw (and a
    /// header named with an escape sequence is still matched exactly when the file is read back).
    public static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where DisplayText.isControl(scalar): out += String(format: "\\u%04X", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
