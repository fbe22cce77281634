using System.Globalization;

namespace EtlRunner.Connectors.ConstantContact.Exceptions;

/// <summary>A segment search kept answering 202 "processing" past <c>segment_timeout</c>: the query stops.</summary>
internal sealed class SegmentTimeoutException(string segmentId, TimeSpan deadline)
    : ConstantContactException(string.Create(
        CultureInfo.InvariantCulture,
        $"Constant Contact was still working out segment {segmentId} after segment_timeout ({deadline}): run again later, or raise segment_timeout"));
