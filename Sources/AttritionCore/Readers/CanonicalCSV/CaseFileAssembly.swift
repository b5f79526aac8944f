/// Joins the runs of a case file that `CanonicalRowReader` read — pieces read side by side on
/// several threads, or batches of a stream — into the one table, in file order, exactly as one
/// pass row by row would: each case reference claimed by its first record (a later one refused as
/// a duplicate, its warnings withdrawn), each run's group codes renumbered into the table's, an
/// extra column with too many distinct values left out at the line it crosses the limit, and
/// refused records logged and written out in file order.
struct CaseFileAssembly {
    /// The file's columns.
    let header: Header
    /// What the import may hold.
    let limits: ImportLimits
    /// The file's name, in messages and the rejects file.
    let fileName: String
    private var builder: CaseTableBuilder
    /// Rows refused and warnings given.
    private(set) var log: ImportLog
    /// Extra columns left out for too many distinct values, by index among the extras.
    private var dropped = Set<Int>()
    private let keepsOutcomes: Bool
    private var policeCodes: [UInt8] = []
    private var courtCodes: [UInt8] = []
    /// Values of translated columns that the mapping does not list, by column, in the order first seen.
    private var unmapped: [(column: String, values: [String])] = []
    /// Records read, refused ones included.
    private(set) var recordsRead = 0
    /// Blank lines passed over.
    private(set) var blankLines = 0
    private let sink: RejectSink?
    private let labelled: LabelledRejects?

    /// An assembly for a file with `header`, refused records going to `labelled` when there is an
    /// event file (rows of both files in one rejects file), else to `sink` as they stand.
    init(header: Header, limits: ImportLimits, fileName: String, keepingOutcomes: Bool, expectedRows: Int,
         sink: RejectSink?, labelled: LabelledRejects?) {
        self.header = header
        self.limits = limits
        self.fileName = fileName
        keepsOutcomes = keepingOutcomes
        self.sink = sink
        self.labelled = labelled
        log = ImportLog(listed: limits.listed)
        builder = CaseTableBuilder(dimensions: CanonicalRowReader.dimensions(for: header),
                                   periodsAfter: CanonicalRowReader.firstExtra, expectedRows: expectedRows)
    }

    /// Cases held.
    var rowCount: Int { builder.rowCount }

    /// Bytes the cases take so far.
    var footprint: Int { builder.footprint }

    /// Makes room in every column for as many cases as a file of `total` bytes likely holds, from
    /// the records read so far from its first `read` bytes (with 2% to spare), so the columns need
    /// not grow by copying.
    mutating func reserve(forBytes total: Int64, fromFirst read: Int64) {
        guard read > 0, total > read, recordsRead > 0 else { return }
        let rows = min(Double(total) / Double(read) * Double(recordsRead) * 1.02, Double(Int32.max))
        builder.reserve(rows: Int(rows), except: Set(dropped.map { $0 + CanonicalRowReader.firstExtra }))
    }

    /// Records how the file's characters were read, when not as UTF-8 by default.
    mutating func warnAboutEncoding(_ reason: String) { log.warn(ImportWarning(line: 1, field: "encoding", reason: reason)) }

    /// Adds the next run of the file's records, as `reader` read them: refusals and claims in
    /// file order, then each column of the cases kept in one go.
    mutating func absorb(_ reader: CanonicalRowReader) throws {
        let batch = reader.batch, local = reader.builder
        recordsRead += batch.recordsRead
        blankLines += batch.blankLines
        // Refusals (the reader's, and duplicates) in file order; the cases kept.
        var kept: [Int32] = []
        kept.reserveCapacity(batch.caseCount)
        let held = builder.rowCount
        /// The line of the case in table row `row`: held already, or kept from this batch.
        func line(ofRow row: Int) -> Int { row < held ? builder.line(ofRow: row) : local.line(ofRow: Int(kept[row - held])) }
        // Each case's slot is fetched while the cases `ahead` before it are claimed (see `InternTable.prefetch`).
        let ahead = 32
        for index in 0..<min(ahead, batch.caseCount) { builder.prefetchClaim(hash: batch.hash(ofCase: index)) }
        for entry in batch.order {
            if entry >= 0, Int(entry) + ahead < batch.caseCount { builder.prefetchClaim(hash: batch.hash(ofCase: Int(entry) + ahead)) }
            if entry < 0 {
                let refusal = batch.refusals[Int(-1 - entry)]
                try refuse(line: refusal.line, reason: refusal.reason, filedAs: refusal.filedAs, record: refusal.record[...])
                continue
            }
            let index = Int(entry)
            if let first = batch.claim(ofCase: index, in: &builder) {
                let id = batch.withReference(ofCase: index) { DisplayText.quoted(DisplayText.decode($0).text) }
                let reason = "duplicate case_id \(id) (first seen on line \(line(ofRow: first)))"
                try refuse(line: local.line(ofRow: index), reason: reason, filedAs: reason, record: batch.record(ofCase: index))
                continue
            }
            kept.append(Int32(index))
        }
        builder.append(rows: kept, of: local)
        if keepsOutcomes {
            policeCodes += kept.map { batch.policeCodes[Int($0)] }
            courtCodes += kept.map { batch.courtCodes[Int($0)] }
        }
        // Group codes renumbered into the table's, each group named by its first spelling among the cases kept.
        var leftOutAt: [(extra: Int, position: Int)] = []
        for dimension in local.dimensions.indices {
            let extra = dimension - CanonicalRowReader.firstExtra
            guard !dropped.contains(extra) else { continue }
            var codes = local.dimensions[dimension].codes.gather(kept)
            var codeOf = [UInt32](repeating: .max, count: local.dimensions[dimension].groupCount)
            var crossed: Int?
            for position in codes.indices {
                let localCode = Int(codes[position])
                if codeOf[localCode] == .max {
                    codeOf[localCode] = builder.dimensions[dimension].code(forLabel: local.dimensions[dimension].label(of: UInt32(localCode)))
                    if extra >= 0, builder.dimensions[dimension].groupCount > limits.maxDistinct {
                        crossed = position
                        break
                    }
                }
                codes[position] = codeOf[localCode]
            }
            if let crossed {
                leftOutAt.append((extra, crossed))
            } else {
                builder.appendCodes(codes, dimension: dimension)
            }
        }
        // Warnings of the cases kept, in file order; none about a column once it is left out.
        for (position, index) in kept.enumerated() {
            for warning in batch.warnings(ofCase: Int(index))
            where !isLeftOut(warning.field) && !leftOutAt.contains(where: { $0.position < position && header.extras[$0.extra].name == warning.field }) {
                log.warn(warning)
            }
            for (extra, at) in leftOutAt where at == position { leaveOut(extra: extra, line: local.line(ofRow: Int(index))) }
        }
        for (column, values) in reader.unmappedValues {
            if let at = unmapped.firstIndex(where: { $0.column == column }) {
                unmapped[at].values += values.filter { !unmapped[at].values.contains($0) }
            } else {
                unmapped.append((column, values))
            }
        }
        if builder.footprint > limits.maxMemory {
            throw ImportError.memoryLimit(file: fileName, rows: recordsRead, bytes: builder.footprint, limit: limits.maxMemory)
        }
    }

    /// Whether warnings about `field` are no longer given: an extra column left out.
    private func isLeftOut(_ field: String) -> Bool {
        !dropped.isEmpty && dropped.contains { header.extras[$0].name == field }
    }

    /// A free-text or identifier column: no dimension to break cases down by, and memory that would
    /// grow with every row. Left out whole, said once.
    private mutating func leaveOut(extra index: Int, line: Int) {
        dropped.insert(index)
        let name = header.extras[index].name
        builder.dimensions[CanonicalRowReader.firstExtra + index] = CategoryEncoder(name: name)
        log.warn(ImportWarning(line: line, field: name, reason: "more than \(limits.maxDistinct) distinct values by this line; "
                                   + "the column is left out (raise --max-distinct to keep it)"))
    }

    private mutating func refuse(line: Int, reason: String, filedAs: String, record: ArraySlice<UInt8>) throws {
        log.reject(Rejection(line: line, reason: reason))
        try record.withUnsafeBytes { bytes in
            // A line past the size limit is not kept, so it cannot be written out (docs/data-format.md).
            if let labelled {
                try labelled.reject(bytes, file: fileName, line: line, reason: filedAs)
            } else if !bytes.isEmpty {
                try sink?.reject(bytes)
            }
        }
    }

    /// Reads the event file at `path` onto the cases (`reader`'s rules), its problems logged with
    /// the case file's and its refused rows sent to the labelled rejects file.
    mutating func applyEvents(_ reader: EventFileReader, path: String,
                              checkRow: (@Sendable (CSVScanner, UnsafeRawBufferPointer) -> ImportWarning?)? = nil) throws -> EventAccount {
        try reader.apply(path: path, to: &builder, police: policeCodes, court: courtCodes, log: &log, sink: labelled,
                         limits: limits, checkRow: checkRow)
    }

    /// The import's result: the table, with the report-period dimensions worked out from the
    /// report dates, and the report. `rows` counts the case rows read; `events`, if an event file
    /// was read (its stages count as recorded, its rejected rows are not case rows).
    mutating func result(rows: Int, sha256: String, events: (reader: EventFileReader, account: EventAccount)?,
                         mapping: Mapping?) -> ImportResult {
        let recorded = events?.reader.recordedStages ?? []
        let unavailable = header.unavailableStages.filter { !recorded.contains($0) }
        let droppedColumns = dropped.sorted().map { header.extras[$0].name }
        let keptColumns = header.extras.indices.filter { !dropped.contains($0) }.map { header.extras[$0].name }
        let table = builder.finish(availableStages: Stage.allCases.filter { !unavailable.contains($0) },
                                   leftOut: Set(dropped.map { $0 + CanonicalRowReader.firstExtra }),
                                   isCube: header.positions[.count] != nil)
        var report = ImportReport(
            file: fileName, rows: rows, accepted: table.rowCount, rejections: log.rejections, warnings: log.warnings,
            rejected: log.rejected - (events?.account.rejected ?? 0), warningCount: log.warningCount,
            droppedColumns: droppedColumns, blankLines: blankLines, unavailableStages: unavailable,
            extraDimensions: keptColumns, sourceSHA256: sha256)
        report.events = events?.account
        report.mapping = mapping.map { MappingUse(path: $0.path, sha256: $0.sha256, unmappedValues: unmapped) }
        return ImportResult(table: table, report: report)
    }
}
