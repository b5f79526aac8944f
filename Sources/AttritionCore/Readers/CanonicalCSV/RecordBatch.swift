/// A run of a case file's records as `CanonicalRowReader` left them, in file order: each refused
/// (its line, reason and bytes) or a candidate case (its reference, its warnings, and — for a
/// rejects file — its bytes, in case it proves a duplicate).
struct RecordBatch {
    /// Each record in order: a case's index (0, 1, ...) when at least 0, else `-1 - r` for refusal `r`.
    private(set) var order: [Int32] = []
    /// The refused records: line, reason, the reason given in a labelled rejects file, and bytes.
    private(set) var refusals: [(line: Int, reason: String, filedAs: String, record: [UInt8])] = []
    /// Warnings about the cases, in order; case `i`'s are those up to `warningEnds[i]`, after case `i - 1`'s.
    var warnings: [ImportWarning] = []
    private(set) var warningEnds: [Int] = []
    /// The cases' references, back to back.
    private var references: [UInt8] = []
    private var referenceEnds: [Int] = [0]
    /// Each reference's hash, worked out on the reader's thread.
    private var referenceHashes: [UInt64] = []
    /// Whether the cases' record bytes are kept.
    let keepsRecords: Bool
    private var records: [UInt8] = []
    private var recordEnds: [Int] = [0]
    /// Each case's Home Office outcome code from the file (0: none), when the reader keeps outcomes.
    var policeCodes: [UInt8] = []
    /// Each case's court result from the file (`CourtOutcome` index + 1; 0: none), when the reader keeps outcomes.
    var courtCodes: [UInt8] = []
    /// Records read (blank lines are not records).
    var recordsRead = 0
    /// Blank lines passed over.
    var blankLines = 0

    /// An empty batch; `keepsRecords` keeps every case's bytes.
    init(keepsRecords: Bool) { self.keepsRecords = keepsRecords }

    /// Candidate cases.
    var caseCount: Int { warningEnds.count }

    /// Records a refused record.
    mutating func reject(line: Int, reason: String, filedAs: String, record: UnsafeRawBufferPointer) {
        order.append(Int32(-1 - refusals.count))
        refusals.append((line, reason, filedAs, Array(record)))
    }

    /// Refused records.
    var refusalCount: Int { refusals.count }

    /// Records a candidate case, after its warnings.
    mutating func accept(caseId: UnsafeRawBufferPointer, record: UnsafeRawBufferPointer) {
        order.append(Int32(warningEnds.count))
        warningEnds.append(warnings.count)
        references.append(contentsOf: caseId)
        referenceEnds.append(references.count)
        referenceHashes.append(InternTable.hash(caseId))
        if keepsRecords {
            records.append(contentsOf: record)
            recordEnds.append(records.count)
        }
    }

    /// Case `index`'s warnings.
    func warnings(ofCase index: Int) -> ArraySlice<ImportWarning> {
        warnings[(index == 0 ? 0 : warningEnds[index - 1])..<warningEnds[index]]
    }

    /// Hands `body` case `index`'s reference.
    func withReference<Result>(ofCase index: Int, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try references.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[referenceEnds[index]..<referenceEnds[index + 1]])) }
    }

    /// The hash of case `index`'s reference.
    func hash(ofCase index: Int) -> UInt64 { referenceHashes[index] }

    /// Claims case `index`'s reference in `builder`: nil when it is new, else the row of the case
    /// holding it (see `CaseTableBuilder.claimRow`).
    func claim(ofCase index: Int, in builder: inout CaseTableBuilder) -> Int? {
        withReference(ofCase: index) { builder.claimRow(caseId: $0, hash: referenceHashes[index]) }
    }

    /// Case `index`'s record bytes (empty unless `keepsRecords`).
    func record(ofCase index: Int) -> ArraySlice<UInt8> {
        keepsRecords ? records[recordEnds[index]..<recordEnds[index + 1]] : []
    }
}
