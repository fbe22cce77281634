using System.IO.Compression;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace EtlRunner.Connectors.ConstantContact.Tests.Http;

[CollectionDefinition(nameof(HostileEndpointTests), DisableParallelization = true)]
public sealed class HostileEndpointCollection;

/// <summary>
/// A query against an endpoint that is broken or hostile ends with an error naming the route and the limit, and its
/// memory stays bounded. The collection runs alone, so the allocation counts are this test's own.
/// </summary>
[Collection(nameof(HostileEndpointTests))]
public sealed class HostileEndpointTests
{
    private const long AllocationBound = 160L << 20;

    private static readonly byte[] PageStart = "{\"contacts\":["u8.ToArray();

    private static async Task<(List<Record> Records, ConstantContactException Error)> QueryAsync(HostileServer server, params (string Name, object? Value)[] connection)
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Connection["base_url"] = server.BaseUrl.ToString();
        harness.Connection["max_retries"] = 0L;
        foreach (var (name, value) in connection)
        {
            harness.Connection[name] = value;
        }

        await using var run = harness.NewRun();
        await using var source = harness.Connector.CreateSource(run.Activity(ActivityKind.Query));
        var records = new List<Record>();
        var error = await Assert.ThrowsAnyAsync<ConstantContactException>(async () =>
        {
            await foreach (var record in source.ReadAsync(new RecordingContext(), CancellationToken.None))
            {
                records.Add(record);
            }
        });
        return (records, error);
    }

    /// <summary>Writes <paramref name="length"/> bytes of JSON whitespace (after the start of a page) in 1 MB pieces, until the client goes away.</summary>
    private static async Task WriteBlanksAsync(Stream body, long length, CancellationToken aborted)
    {
        var blanks = new byte[1 << 20];
        Array.Fill(blanks, (byte)' ');
        try
        {
            await body.WriteAsync(PageStart, aborted);
            for (long sent = 0; sent < length; sent += blanks.Length)
            {
                await body.WriteAsync(blanks, aborted);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client stopped reading, as it should.
        }
    }

    private static string Page(HttpContext context, int contacts, long total, string? next)
    {
        var items = string.Join(',', Enumerable.Range(1, contacts).Select(i => $$$"""{"contact_id":"c{{{i}}}","email_address":{"address":"p{{{i}}}@example.com"}}"""));
        var links = next is null ? string.Empty : $$$""","_links":{"next":{"href":"{{{next}}}"}}""";
        context.Response.ContentType = "application/json";
        return $$"""{"contacts":[{{items}}],"contacts_count":{{total}}{{links}}}""";
    }

    [Fact]
    public async Task Query_GzipBombPage_FailsAtTheResponseLimitWithBoundedMemory()
    {
        // Given: about 1 MB of gzip that expands to 1 GiB, compressed while it is sent
        await using var server = await HostileServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            context.Response.Headers.ContentEncoding = "gzip";
            await using var gzip = new GZipStream(context.Response.Body, CompressionLevel.SmallestSize, leaveOpen: true);
            await WriteBlanksAsync(gzip, 1L << 30, context.RequestAborted);
        });
        var allocated = GC.GetTotalAllocatedBytes(precise: true);

        // When
        var (records, error) = await QueryAsync(server);

        // Then
        Assert.Equal("Constant Contact's answer to GET /contacts is larger than 16,777,216 bytes (max_response_bytes); it was not read further. Raise max_response_bytes if the API's answers really are that large", error.Message);
        Assert.Empty(records);
        Assert.InRange(GC.GetTotalAllocatedBytes(precise: true) - allocated, 0, AllocationBound);
    }

    [Fact]
    public async Task Query_NeverEndingBody_FailsAtTheConfiguredResponseLimitWithBoundedMemory()
    {
        // Given
        await using var server = await HostileServer.StartAsync(context =>
        {
            context.Response.ContentType = "application/json";
            return WriteBlanksAsync(context.Response.Body, long.MaxValue, context.RequestAborted);
        });
        var allocated = GC.GetTotalAllocatedBytes(precise: true);

        // When
        var (_, error) = await QueryAsync(server, ("max_response_bytes", 1_000_000L));

        // Then
        Assert.Equal("Constant Contact's answer to GET /contacts is larger than 1,000,000 bytes (max_response_bytes); it was not read further. Raise max_response_bytes if the API's answers really are that large", error.Message);
        Assert.InRange(GC.GetTotalAllocatedBytes(precise: true) - allocated, 0, AllocationBound);
    }

    [Fact]
    public async Task Query_BodyStallsAfterTheHeaders_TimesOutSayingTheBodyStalled()
    {
        // Given: the headers and the start of a page, then nothing
        await using var server = await HostileServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(PageStart, context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up, as it should.
            }
        });

        // When
        var (_, error) = await QueryAsync(server, ("timeout_seconds", 1L));

        // Then
        Assert.Equal("Constant Contact started answering GET /contacts but did not finish the body within 1 s (timeout_seconds)", error.Message);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task Query_NextLinkPointsToTheSamePage_FailsBeforeReadingItAgain()
    {
        // Given: a page whose next link is the page's own address
        await using var server = await HostileServer.StartAsync(context =>
            context.Response.WriteAsync(Page(context, 2, 1000, context.Request.Path + context.Request.QueryString)));

        // When
        var (records, error) = await QueryAsync(server, ("daily_request_limit", 20L));

        // Then
        Assert.Equal("Constant Contact's next link on page 1 of GET /contacts points back to page 1, already read: stopped, so no contact is read twice", error.Message);
        Assert.Equal(["c1", "c2"], records.Select(r => r["contact_id"]));
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task Query_NextLinksNeverEnd_FailsPastThePagesTheCountAllows()
    {
        // Given: 3 contacts announced, and a new cursor on every page
        var cursor = 0;
        await using var server = await HostileServer.StartAsync(context =>
            context.Response.WriteAsync(Page(context, 1, 3, $"/v3/contacts?cursor={Interlocked.Increment(ref cursor)}")));

        // When
        var (records, error) = await QueryAsync(server, ("daily_request_limit", 100L));

        // Then: one page of 500 is expected, ten more are allowed
        Assert.Equal("Constant Contact's next links for GET /contacts go on after 11 pages, the most the 3 contacts it announced can take: stopped", error.Message);
        Assert.Equal(11, records.Count);
        Assert.Equal(11, server.Requests);
    }

    [Fact]
    public async Task Query_RedirectToAnotherHost_IsRefusedAfterFollowingOneWithinTheHost()
    {
        // Given: 127.0.0.1 moves the page within itself, then to a server on 127.0.0.2
        await using var elsewhere = await HostileServer.StartAsync(context => context.Response.WriteAsync(Page(context, 1, 1, null)), "127.0.0.2");
        await using var server = await HostileServer.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = context.Request.Path.StartsWithSegments("/v3/moved")
                ? new Uri(elsewhere.BaseUrl, "contacts").ToString()
                : "/v3/moved" + context.Request.QueryString;
            return Task.CompletedTask;
        });

        // When
        var (records, error) = await QueryAsync(server);

        // Then
        Assert.Equal(
            $"Constant Contact answered GET /contacts with a redirect (302) to {elsewhere.BaseUrl.Authority}, not {server.BaseUrl.Authority} (base_url): it was not followed, so the access token goes nowhere else. Check base_url",
            error.Message);
        Assert.Empty(records);
        Assert.Equal(2, server.Requests);
        Assert.Equal(0, elsewhere.Requests);
    }

    [Fact]
    public async Task Create_RedirectOfAPostWithinTheHost_IsRefusedAndStopsTheOperation()
    {
        // Given: POST /contacts answered with a 307 to another path of the same host
        await using var server = await HostileServer.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = "/v3/elsewhere";
            return Task.CompletedTask;
        });
        await using var harness = await SandboxHarness.StartAsync();
        harness.Connection["base_url"] = server.BaseUrl.ToString();

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, Contacts.New(3));

        // Then: nothing written, the redirect not followed, the reason given
        Assert.Equal(0, outcome.Written);
        Assert.Equal("Constant Contact answered POST /contacts with a redirect (307): it was not followed, because only a GET is redirected. Check base_url", outcome.StopReason);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task Create_AnswerPastTheResponseLimit_IsAnUnknownOutcomeCheckedByEmail()
    {
        // Given: the contact is created, but the answer to its POST never ends
        await using var server = await HostileServer.StartAsync(context =>
        {
            if (HttpMethods.IsPost(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status201Created;
                return WriteBlanksAsync(context.Response.Body, long.MaxValue, context.RequestAborted);
            }

            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("""{"contacts":[{"contact_id":"c1","email_address":{"address":"new1@example.com"},"first_name":"Nina1","last_name":"New"}]}""");
        });
        await using var harness = await SandboxHarness.StartAsync();
        harness.Connection["base_url"] = server.BaseUrl.ToString();
        harness.Connection["max_response_bytes"] = 100_000L;

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, Contacts.New(1));

        // Then: found by email, so written once, never sent again
        Assert.Equal((1, 0, null), (outcome.Written, outcome.Rejected.Count, outcome.StopReason));
        Assert.Equal(2, server.Requests);
    }
}
