using System.Text.Json.Serialization;
using EtlRunner.Sandbox.Model;

namespace EtlRunner.Sandbox.Storage;

/// <summary>
/// The records' JSON as the data file stores it, generated at compile time (no reflection, so it holds in the
/// ahead-of-time compiled tool), with the serializer's default names and options.
/// </summary>
[JsonSerializable(typeof(ContactRecord))]
[JsonSerializable(typeof(ListRecord))]
[JsonSerializable(typeof(CustomFieldRecord))]
[JsonSerializable(typeof(TagRecord))]
[JsonSerializable(typeof(ActivityRecord))]
internal sealed partial class PersistenceJson : JsonSerializerContext;
