import Foundation

extension CaseImporter {
    /// Reads one event log that also carries the cases' attributes (docs/contracts/mapping-and-events.md,
    /// section 2), in three passes over the file so memory follows cases, not events:
    ///
    /// 1. each case's earliest event row (by date, then line), a fingerprint of its attributes,
    ///    and its earliest `reported` event;
    /// 2. each case from its earliest row, reported on its `reported` event's date or else its earliest event's;
    /// 3. every row as an event of its case (`EventFileReader`), a row whose attributes differ from
    ///    the earliest row's warned about.
    func importEventLog(atPath path: String, mapping: Mapping, spec: EventLogSpec) throws -> ImportResult {
        // Pass 1.
        let file = try FileByteSource(path: path)
        let firstScanner = CSVScanner(source: file)
        guard try firstScanner.next() else { throw ImportError.empty(file: fileName) }
        if firstScanner.isBinary { throw ImportError.notText(file: fileName) }
        let names = (0..<firstScanner.fieldCount).map { DisplayText.decode(firstScanner.field($0)).text }
        let header = try Header(names: names, file: fileName, mapping: mapping, eventLog: spec)
        let fieldCount = firstScanner.fieldCount
        let folded = names.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func index(_ name: String) -> Int { folded.firstIndex(of: name.trimmingCharacters(in: .whitespaces).lowercased())! }
        let caseColumn = header.positions[.caseId]!, eventColumn = index(spec.event), dateColumn = index(spec.date)
        let droppedColumns = Set(mapping.dropped.compactMap { name in folded.firstIndex(of: name.trimmingCharacters(in: .whitespaces).lowercased()) })
        let attributeColumns = (0..<fieldCount).filter { ![caseColumn, eventColumn, dateColumn].contains($0) && !droppedColumns.contains($0) }
        let dates = DateReader(formats: mapping.dateFormats)
        var ids = InternTable()
        var earliest: [Int64] = [], fingerprint: [UInt64] = [], reportedEvent: [Int32] = []
        var types = EventTypeReader(spec)
        /// The row's case reference and date, when it is a readable event row.
        func event(_ scanner: CSVScanner) -> (id: UnsafeRawBufferPointer, day: Int32)? {
            guard scanner.problem == nil, scanner.fieldCount == fieldCount else { return nil }
            let id = FieldParsing.trimmed(scanner.field(caseColumn))
            guard !id.isEmpty, let day = dates.date(FieldParsing.trimmed(scanner.field(dateColumn))) else { return nil }
            return (id, day.days)
        }
        func attributes(_ scanner: CSVScanner) -> UInt64 { AttributeCheck.fingerprint(scanner, attributeColumns) }
        while try firstScanner.next() {
            guard let (id, day) = event(firstScanner) else { continue }
            let key = Int64(day) << 32 | Int64(firstScanner.line)
            let (index, inserted) = ids.insert(id)
            if inserted {
                earliest.append(key)
                fingerprint.append(attributes(firstScanner))
                reportedEvent.append(CaseTable.noDate)
            } else if key < earliest[index] {
                earliest[index] = key
                fingerprint[index] = attributes(firstScanner)
            }
            let isReported = types.read(FieldParsing.trimmed(firstScanner.field(eventColumn))).meaning == .stage(.reported)
            if isReported, reportedEvent[index] == CaseTable.noDate || day < reportedEvent[index] { reportedEvent[index] = day }
        }

        // Pass 2.
        let scanner = CSVScanner(source: try FileByteSource(path: path))
        _ = try scanner.next()
        let labelled = try rejectSink.map(LabelledRejects.init)
        let runs = RecordRuns(header: header, limits: limits, mapping: mapping, keepsOutcomes: true, keepsRecords: false)
        var assembly = CaseFileAssembly(header: header, limits: limits, fileName: fileName, keepingOutcomes: true,
                                        expectedRows: ids.count, sink: nil, labelled: labelled)
        var reader = runs.reader()
        var caseRows = 0
        while try scanner.next() {
            guard let (id, _) = event(scanner), let index = ids.find(id), Int(earliest[index] & 0xFFFF_FFFF) == scanner.line else { continue }
            caseRows += 1
            reader.countRecords(1, blankLines: 0)
            let reported = reportedEvent[index] != CaseTable.noDate ? reportedEvent[index] : Int32(truncatingIfNeeded: earliest[index] >> 32)
            if let reason = reader.add(scanner, reported: DayNumber(days: reported)) {
                reader.reject(scanner, reason: reason, filedAs: "this case's earliest event row: " + reason)
            }
            if reader.batch.caseCount + reader.batch.refusalCount >= streamBatchRecords {
                try assembly.absorb(reader)
                reader = runs.reader()
            }
        }
        try assembly.absorb(reader)

        // Pass 3.
        let events = EventFileReader(spec: spec, mapping: mapping, pieceBytes: eventPieceBytes)
        let check = AttributeCheck(ids: ids, earliest: earliest, fingerprints: fingerprint, columns: attributeColumns)
        let account = try assembly.applyEvents(events, path: path) { scanner, id in check.warning(scanner, id) }
        // Three passes make sense only over one unchanged file.
        try file.requireUnchanged(path)
        return assembly.result(rows: caseRows, sha256: scanner.sha256, events: (events, account), mapping: mapping)
    }
}

/// Whether an event row's attributes are those of its case's earliest row: a fingerprint of the
/// attribute columns as written, compared. Shared read-only by the threads reading the log.
struct AttributeCheck: Sendable {
    let ids: InternTable
    /// Each case's earliest row: day << 32 | line.
    let earliest: [Int64]
    let fingerprints: [UInt64]
    let columns: [Int]

    /// FNV-1a over the trimmed bytes of `columns`, each closed by a separator.
    static func fingerprint(_ scanner: CSVScanner, _ columns: [Int]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for column in columns {
            for byte in FieldParsing.trimmed(scanner.field(column)) { hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01B3 }
            hash = (hash ^ 0x1F) &* 0x0100_0000_01B3
        }
        return hash
    }

    /// A warning when the row's attributes differ from its case's earliest row's.
    func warning(_ scanner: CSVScanner, _ id: UnsafeRawBufferPointer) -> ImportWarning? {
        guard let index = ids.find(id) else { return nil }
        let first = Int(earliest[index] & 0xFFFF_FFFF)
        guard scanner.line != first, AttributeCheck.fingerprint(scanner, columns) != fingerprints[index] else { return nil }
        return ImportWarning(line: scanner.line, field: "attributes",
                             reason: "differ from this case's earliest event row (line \(first)), whose attributes are kept")
    }
}
