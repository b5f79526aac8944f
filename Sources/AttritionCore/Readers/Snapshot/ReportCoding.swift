// How an import's account is kept in a snapshot file: as JSON, every field by name (the account's
// plain types are Codable where they are declared; these two hold lists of pairs).


extension EventAccount: Codable {
    private enum Keys: String, CodingKey { case file, rows, applied, unknownCases, unknownCaseLines, unmappedTypes, unmappedTypeRows, rejected }

    public init(from decoder: Decoder) throws {
        let values = try decoder.container(keyedBy: Keys.self)
        self.init(file: try values.decode(String.self, forKey: .file))
        rows = try values.decode(Int.self, forKey: .rows)
        applied = try values.decode(Int.self, forKey: .applied)
        unknownCases = try values.decode(Int.self, forKey: .unknownCases)
        unknownCaseLines = try values.decode([Int].self, forKey: .unknownCaseLines)
        let types = try values.decode([String].self, forKey: .unmappedTypes), counts = try values.decode([Int].self, forKey: .unmappedTypeRows)
        guard types.count == counts.count else {
            throw DecodingError.dataCorruptedError(forKey: .unmappedTypeRows, in: values, debugDescription: "one count per event type")
        }
        unmappedTypes = Array(zip(types, counts)).map { (type: $0, rows: $1) }
        rejected = try values.decode(Int.self, forKey: .rejected)
    }

    public func encode(to encoder: Encoder) throws {
        var values = encoder.container(keyedBy: Keys.self)
        try values.encode(file, forKey: .file)
        try values.encode(rows, forKey: .rows)
        try values.encode(applied, forKey: .applied)
        try values.encode(unknownCases, forKey: .unknownCases)
        try values.encode(unknownCaseLines, forKey: .unknownCaseLines)
        try values.encode(unmappedTypes.map(\.type), forKey: .unmappedTypes)
        try values.encode(unmappedTypes.map(\.rows), forKey: .unmappedTypeRows)
        try values.encode(rejected, forKey: .rejected)
    }
}

extension MappingUse: Codable {
    private enum Keys: String, CodingKey { case path, sha256, unmappedColumns, unmappedValues }

    public init(from decoder: Decoder) throws {
        let values = try decoder.container(keyedBy: Keys.self)
        let columns = try values.decode([String].self, forKey: .unmappedColumns), lists = try values.decode([[String]].self, forKey: .unmappedValues)
        guard columns.count == lists.count else {
            throw DecodingError.dataCorruptedError(forKey: .unmappedValues, in: values, debugDescription: "one list per column")
        }
        self.init(path: try values.decode(String.self, forKey: .path), sha256: try values.decode(String.self, forKey: .sha256),
                  unmappedValues: Array(zip(columns, lists)).map { (column: $0, values: $1) })
    }

    public func encode(to encoder: Encoder) throws {
        var values = encoder.container(keyedBy: Keys.self)
        try values.encode(path, forKey: .path)
        try values.encode(sha256, forKey: .sha256)
        try values.encode(unmappedValues.map(\.column), forKey: .unmappedColumns)
        try values.encode(unmappedValues.map(\.values), forKey: .unmappedValues)
    }
}
