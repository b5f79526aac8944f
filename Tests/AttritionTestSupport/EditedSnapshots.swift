import AttritionCore
import Foundation

/// Snapshots of a small sample whose manifest was edited and sealed afresh (length and CRC-32
/// right), as the hostile run made them: every one must be refused as damaged.
public enum EditedSnapshots {
    /// A saved snapshot of the sample, its bytes and its manifest.
    nonisolated(unsafe) public static let saved: (bytes: [UInt8], manifestOffset: Int, manifest: [String: Any]) = {
        let folder = TemporaryFolder()
        let path = folder.file("good.attrition")
        try! SnapshotFile.save(try! CaseImporter(fileName: "test.csv").importCases(from: CSVScanner(source: MemoryByteSource(SampleGenerator.bytes(SampleSpec(cases: 300, seed: 3))))), to: path, overwrite: false, sources: [])
        let bytes = Array(try! Data(contentsOf: URL(fileURLWithPath: path)))
        let offset = bytes[24..<32].reversed().reduce(0) { $0 << 8 | Int($1) }
        return (bytes, offset, try! JSONSerialization.jsonObject(with: Data(bytes[offset...])) as! [String: Any])
    }()

    /// The snapshot with its manifest changed by `edit` (and its columns by `columns`), sealed afresh.
    public static func edited(_ edit: (inout [String: Any]) -> Void, columns: (inout [UInt8]) -> Void = { _ in }) -> [UInt8] {
        var manifest = saved.manifest
        edit(&manifest)
        var body = Array(saved.bytes[64..<saved.manifestOffset])
        columns(&body)
        let json = Array(try! JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys]))
        return SnapshotFile.sealed(body: body + json, manifestOffset: UInt64(saved.manifestOffset))
    }

    /// Every edit the hostile run made, by name.
    public static let edits: [String: [UInt8]] = {
        func report(_ key: String, _ value: Any) -> (inout [String: Any]) -> Void {
            { manifest in
                var report = manifest["report"] as! [String: Any]
                report[key] = value
                manifest["report"] = report
            }
        }
        func dimensions(_ change: @escaping (inout [[String: Any]]) -> Void) -> (inout [String: Any]) -> Void {
            { manifest in
                var list = manifest["dimensions"] as! [[String: Any]]
                change(&list)
                manifest["dimensions"] = list
            }
        }
        let reported = saved.manifest["reported"] as! [String: Any]
        return [
            "no stages": edited { $0["availableStages"] = [Int]() },
            "stages twice": edited { $0["availableStages"] = ($0["availableStages"] as! [Int]) + ($0["availableStages"] as! [Int]) },
            "a stage not recorded reached": edited { $0["availableStages"] = [0, 2, 3, 4] },
            "rejected 2^63-1": edited(report("rejected", Int.max)),
            "skipped 2^63-1": edited(report("skipped", Int.max)),
            "a negative count": edited(report("blankLines", -1)),
            "a report date of 0": edited({ _ in }, columns: { body in
                let offset = reported["offset"] as! Int - 64, width = reported["width"] as! Int
                for byte in offset..<(offset + width) { body[byte] = 0 }
            }),
            "a column over another": edited(dimensions { list in
                var first = list[0]["codes"] as! [String: Any]
                first["offset"] = (list[1]["codes"] as! [String: Any])["offset"]
                list[0]["codes"] = first
            }),
            "two labels alike": edited(dimensions { list in
                var labels = list[0]["labels"] as! [String]
                labels[1] = labels[0]
                list[0]["labels"] = labels
            }),
            "two dimensions alike": edited(dimensions { list in list[1]["name"] = list[0]["name"] }),
        ]
    }()

    /// The snapshot edited as `edit` names, written into `folder`; its path.
    public static func file(_ edit: String, in folder: TemporaryFolder) -> String {
        let path = folder.file("edited.attrition")
        FileManager.default.createFile(atPath: path, contents: Data(edits[edit]!))
        return path
    }
}
