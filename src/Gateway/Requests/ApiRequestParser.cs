using System.Globalization;
using Gateway.Errors;

namespace Gateway.Requests;

/// <summary>
/// The parse stage: method, path, query string and headers in, <see cref="ApiRequest"/> (or the 4xx that stops the
/// request) out. It owns routing, the query-string grammar, <c>Range</c>, <c>Prefer</c> and <c>Accept</c>.
/// It never touches the database or the catalog: names stay unchecked identifiers for the planner, values stay
/// raw strings for the SQL stage to bind, so all of it is unit-testable without PostgreSQL.
/// </summary>
internal static class ApiRequestParser
{
    /// <summary>
    /// Parses one request. <paramref name="path"/> is the decoded path (<c>HttpRequest.Path</c>);
    /// <paramref name="rawQueryString"/> is undecoded, with or without its <c>?</c>; <paramref name="headers"/> looks names
    /// up without regard to case (as Kestrel's collection, or a dictionary with <see cref="StringComparer.OrdinalIgnoreCase"/>),
    /// and a header sent several times is expected joined by commas (as <c>StringValues</c> prints it).
    /// Errors come in request order: path (404), method (405), query parameters in the order given (400),
    /// limit and Range (416), Prefer with handling=strict (400), Accept (406).
    /// </summary>
    public static Result<ApiRequest> Parse(string method, string path, string? rawQueryString, IReadOnlyDictionary<string, string> headers)
    {
        var target = ParseTarget(path);
        if (!target.IsOk)
        {
            return target.Error;
        }

        var action = ParseAction(target.Value, method);
        if (!action.IsOk)
        {
            return action.Error;
        }

        var parameters = QueryString.Decode(rawQueryString);
        if (!parameters.IsOk)
        {
            return parameters.Error;
        }

        var isRpcRead = target.Value.Kind == TargetKind.Function && method is "GET" or "HEAD";
        var request = ParseQuery(new ApiRequest { Method = method, Target = target.Value, Action = action.Value }, parameters.Value, isRpcRead);
        if (!request.IsOk)
        {
            return request;
        }

        RangeHeader? range = null;
        if (method == "GET" && ParseRange(Header(headers, "Range"), out range) is { } rangeError)
        {
            return rangeError;
        }

        var preferences = Preferences.Parse(Header(headers, "Prefer"));
        if (preferences.Handling == HandlingPreference.Strict && preferences.Invalid.Count > 0)
        {
            return RequestErrors.InvalidPreferences(preferences.Invalid);
        }

        // OPTIONS answers with headers only, so there is nothing to negotiate.
        var mediaType = action.Value == RequestAction.Info ? MediaType.Json : MediaType.Negotiate(Header(headers, "Accept"), target.Value.Kind);
        if (!mediaType.IsOk)
        {
            return mediaType.Error;
        }

        return request.Value with
        {
            Range = range,
            Preferences = preferences,
            MediaType = mediaType.Value,
            Accept = Header(headers, "Accept"),
            ContentType = BodyMediaTypes.Parse(Header(headers, "Content-Type")),
            CanonicalQuery = QueryString.Canonical(parameters.Value),
            Profile = Header(headers, method is "GET" or "HEAD" ? "Accept-Profile" : "Content-Profile"),
        };
    }

    /// <summary><c>/</c> is the root, <c>/{name}</c> a relation, <c>/rpc/{name}</c> a function; nothing else exists.</summary>
    private static Result<Target> ParseTarget(string path)
    {
        var relative = path.StartsWith('/') ? path[1..] : path;
        if (relative.Length == 0)
        {
            return Target.Root;
        }

        return relative.Split('/') switch
        {
            [var name] => Target.Relation(name),
            ["rpc", { Length: > 0 } name] => Target.Function(name),
            _ => RequestErrors.InvalidPath(),
        };
    }

    private static Result<RequestAction> ParseAction(Target target, string method) => (target.Kind, method) switch
    {
        (TargetKind.Function, "GET" or "HEAD" or "POST") => RequestAction.Call,
        (TargetKind.Function, "OPTIONS") => RequestAction.Info,
        (TargetKind.Function, _) => RequestErrors.InvalidRpcMethod(method),
        (_, "GET" or "HEAD") => RequestAction.Read,
        (_, "OPTIONS") => RequestAction.Info,
        (TargetKind.Relation, "POST") => RequestAction.Insert,
        (TargetKind.Relation, "PUT") => RequestAction.Upsert,
        (TargetKind.Relation, "PATCH") => RequestAction.Update,
        (TargetKind.Relation, "DELETE") => RequestAction.Delete,
        _ => RequestErrors.UnsupportedMethod(method),
    };

    /// <summary>
    /// Sorts each parameter into its role. Reserved keys (<c>select</c>, <c>columns</c>, <c>on_conflict</c>): the first
    /// occurrence counts. Keys whose last dot-separated word is <c>order</c>, <c>limit</c>, <c>offset</c>, <c>and</c> or
    /// <c>or</c> belong to the root (<c>order</c>, <c>not.or</c>) or to the embed their path names (<c>tasks.order</c>,
    /// <c>tasks.not.and</c>); of <c>order</c>, <c>limit</c> and <c>offset</c> the first for each path counts, and every
    /// <c>and</c>/<c>or</c> is a tree. Anything else is a filter, on the root or on an embed (<c>tasks.done=eq.true</c>),
    /// or on an RPC GET/HEAD a function argument when its key is a plain name and its value not an operator
    /// expression. Whether a path names an embed of the select is the planner's question. A bare <c>key</c> without
    /// <c>=</c> is ignored, as PostgREST does.
    /// </summary>
    private static Result<ApiRequest> ParseQuery(ApiRequest request, IReadOnlyList<QueryParameter> parameters, bool isRpcRead)
    {
        // No query string (a POST of a call, a plain read): the request's defaults are what parsing nothing gives.
        if (parameters.Count == 0)
        {
            return request;
        }

        IReadOnlyList<SelectItem>? select = null;
        IReadOnlyList<string>? columns = null;
        IReadOnlyList<string>? onConflict = null;
        var scopes = new Scopes();
        var arguments = new List<(string Name, List<string> Values)>();

        foreach (var (key, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }

            var error = key switch
            {
                "select" => select is null ? Assign(QueryGrammar.ParseSelect(value), out select) : null,
                "columns" => columns is null ? Assign(QueryGrammar.ParseColumns(value, "columns"), out columns) : null,
                "on_conflict" => onConflict is null ? Assign(QueryGrammar.ParseColumns(value, "on_conflict"), out onConflict) : null,
                _ => ParseScoped(key, value, isRpcRead, scopes, arguments),
            };

            if (error is not null)
            {
                return error;
            }
        }

        var rootPage = ParsePage(scopes.Root);
        if (!rootPage.IsOk)
        {
            return rootPage.Error;
        }

        var embedded = new List<EmbedQuery>(scopes.Embedded.Count);
        foreach (var scope in scopes.Embedded)
        {
            var page = ParsePage(scope);
            if (!page.IsOk)
            {
                return page.Error;
            }

            embedded.Add(new EmbedQuery(scope.Path)
            {
                Filters = scope.Filters,
                Logic = scope.Logic,
                Order = scope.Order ?? [],
                Limit = page.Value.Limit,
                Offset = page.Value.Offset,
            });
        }

        return request with
        {
            Select = select ?? request.Select,
            Filters = scopes.Root.Filters,
            Logic = scopes.Root.Logic,
            Order = scopes.Root.Order ?? [],
            Embedded = embedded,
            Limit = rootPage.Value.Limit,
            Offset = rootPage.Value.Offset,
            Arguments = [.. arguments.Select(argument => new RpcArgument(argument.Name, argument.Values))],
            Columns = columns,
            OnConflict = onConflict,
        };
    }

    /// <summary>A parameter other than select, columns and on_conflict, into the scope (root or embed) its key names.</summary>
    private static GatewayError? ParseScoped(
        string key, string value, bool isRpcRead, Scopes scopes, List<(string Name, List<string> Values)> arguments)
    {
        var lastWord = key[(key.LastIndexOf('.') + 1)..];
        if (lastWord is not ("order" or "limit" or "offset" or "and" or "or"))
        {
            return ParseFilterOrArgument(key, value, isRpcRead, scopes, arguments);
        }

        IReadOnlyList<string> path = [];
        if (key.Length > lastWord.Length)
        {
            var parsedKey = QueryGrammar.ParseKey(key);
            if (!parsedKey.IsOk)
            {
                return parsedKey.Error;
            }

            path = parsedKey.Value.EmbedPath;
        }

        if (lastWord is "and" or "or")
        {
            // As in PostgREST, a "not" anywhere on the path negates the tree: not.or, tasks.not.or.
            var embedPath = path.Where(name => name != "not").ToList();
            var operatorKey = embedPath.Count < path.Count ? "not." + lastWord : lastWord;
            var tree = QueryGrammar.ParseLogic(operatorKey, value);
            if (!tree.IsOk)
            {
                return tree.Error;
            }

            scopes.For(embedPath).Logic.Add(tree.Value);
            return null;
        }

        var scope = scopes.For(path);
        switch (lastWord)
        {
            case "order" when scope.Order is null:
                var order = QueryGrammar.ParseOrder(value);
                scope.Order = order.Value;
                return order.Error;
            case "order":
                return null;
            case "limit":
                scope.Limit ??= new QueryParameter(key, value);
                return null;
            default:
                scope.Offset ??= new QueryParameter(key, value);
                return null;
        }
    }

    private static GatewayError? ParseFilterOrArgument(
        string key, string value, bool isRpcRead, Scopes scopes, List<(string Name, List<string> Values)> arguments)
    {
        var parsedKey = QueryGrammar.ParseKey(key);
        if (!parsedKey.IsOk)
        {
            return parsedKey.Error;
        }

        var (embedPath, field) = parsedKey.Value;
        var mayBeArgument = isRpcRead && field.JsonPath.Count == 0 && embedPath.Count == 0;
        if (QueryGrammar.ParseFilter(field, value, mayBeArgument) is { } filter)
        {
            if (!filter.IsOk)
            {
                return filter.Error;
            }

            scopes.For(embedPath).Filters.Add(filter.Value);
            return null;
        }

        var index = arguments.FindIndex(argument => argument.Name == field.Column);
        if (index < 0)
        {
            arguments.Add((field.Column, [value]));
        }
        else
        {
            arguments[index].Values.Add(value);
        }

        return null;
    }

    /// <summary>A scope's <c>limit</c> and <c>offset</c>: a negative limit is 416, a negative offset counts as 0.</summary>
    private static Result<(long? Limit, long Offset)> ParsePage(Scope scope)
    {
        var limit = ParseInteger(scope.Limit);
        if (!limit.IsOk)
        {
            return limit.Error;
        }

        if (limit.Value < 0)
        {
            return RequestErrors.NegativeLimit();
        }

        var offset = ParseInteger(scope.Offset);
        if (!offset.IsOk)
        {
            return offset.Error;
        }

        return (scope.Limit is null ? null : limit.Value, Math.Max(offset.Value, 0));
    }

    private static Result<long> ParseInteger(QueryParameter? parameter)
    {
        if (parameter?.Value is not { } text)
        {
            return 0L;
        }

        if (long.TryParse(text.Trim(' '), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        return RequestErrors.ParseFailure($"{parameter.Key} parameter", text, 1, "expecting an integer, e.g. 10");
    }

    /// <summary>
    /// <c>Range: first-[last]</c>, digits only (RangeQuery.hs); any other shape, or a number too large, is ignored.
    /// A last below the first is 416.
    /// </summary>
    private static GatewayError? ParseRange(string? header, out RangeHeader? range)
    {
        range = null;
        var text = header?.Trim() ?? "";
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0
            || !long.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var first))
        {
            return null;
        }

        long? last = null;
        if (dash < text.Length - 1)
        {
            if (!long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var parsedLast))
            {
                return null;
            }

            last = parsedLast;
        }

        if (last < first)
        {
            return RequestErrors.ReversedRange();
        }

        range = new RangeHeader(first, last);
        return null;
    }

    // The dictionary compares names without regard to case, as HTTP does (see Parse); a header a request did not send
    // costs one lookup, not a walk through every header it did.
    private static string? Header(IReadOnlyDictionary<string, string> headers, string name) =>
        headers.TryGetValue(name, out var value) ? value : null;

    private static GatewayError? Assign<T>(Result<T> result, out T? value)
    {
        value = result.Value;
        return result.Error;
    }

    /// <summary>The filters, logic trees, order and page given for the root (an empty path) or for one embed, as they come.</summary>
    private sealed class Scope(IReadOnlyList<string> path)
    {
        public IReadOnlyList<string> Path { get; } = path;

        public List<Filter> Filters { get; } = [];

        public List<LogicExpression> Logic { get; } = [];

        public IReadOnlyList<OrderTerm>? Order { get; set; }

        public QueryParameter? Limit { get; set; }

        public QueryParameter? Offset { get; set; }
    }

    /// <summary>The root's scope, and one per embed path in the order the paths first appear.</summary>
    private sealed class Scopes
    {
        // Query strings cannot hold NUL (QueryString.Decode refuses it), so it cannot be part of a name.
        private readonly OrderedDictionary<string, Scope> _embedded = new(StringComparer.Ordinal);

        public Scope Root { get; } = new([]);

        public ICollection<Scope> Embedded => _embedded.Values;

        public Scope For(IReadOnlyList<string> path)
        {
            if (path.Count == 0)
            {
                return Root;
            }

            var key = string.Join('\0', path);
            if (!_embedded.TryGetValue(key, out var scope))
            {
                scope = new Scope(path);
                _embedded.Add(key, scope);
            }

            return scope;
        }
    }
}
