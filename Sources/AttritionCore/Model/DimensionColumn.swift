import Foundation

/// One dimension of the case table, dictionary-encoded: a code per case and a label per code.
public struct DimensionColumn: Sendable {
    /// The dimension's name as used on the command line (`bcu`, `victim_age_band`, an extra column's header).
    public let name: String
    /// Group labels in display order; a case's code indexes this array.
    public let labels: [String]
    /// The group code of every case, in row order.
    public let codes: PackedColumn

    /// A column from labels and codes already in display order.
    public init(name: String, labels: [String], codes: PackedColumn) {
        self.name = name
        self.labels = labels
        self.codes = codes
    }

    /// A column from labels and codes already in display order.
    public init(name: String, labels: [String], codes: [UInt32]) {
        self.init(name: name, labels: labels, codes: PackedColumn(codes))
    }

    /// The code of the group whose label matches `label` case-insensitively after trimming.
    public func code(ofLabel label: String) -> Int? {
        let key = CategoryKey.of(label)
        return labels.firstIndex { CategoryKey.of($0) == key }
    }

    /// Bytes held by the codes.
    var footprint: Int { codes.footprint }
}

/// How categorical values are compared: trimmed, case-insensitive.
enum CategoryKey {
    static func of(_ text: String) -> String {
        // ASCII (nearly every label): trim spaces and tabs and lower-case byte by byte, as
        // Foundation would, without its cost (it dominated a small import).
        let bytes = Array(text.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return text.trimmingCharacters(in: .whitespaces).lowercased() }
        let isBlank = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
        guard let first = bytes.firstIndex(where: { !isBlank($0) }), let last = bytes.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(decoding: bytes[first...last].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
