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
    /// <paramref name="rawQueryString"/> is undecoded, with or without its <c>?</c>; header names are matched
    /// case-insensitively, and a header sent several times is expected joined by commas (as <c>StringValues</c> prints it).
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
    /// Sorts each parameter into its role. Reserved keys (<c>select</c>, <c>columns</c>, <c>on_conflict</c>,
    /// <c>order</c>, <c>limit</c>, <c>offset</c>): the first occurrence counts. <c>and</c>/<c>or</c>: every one is a
    /// tree. Anything else is a filter, or on an RPC GET/HEAD a function argument when its value is not an operator
    /// expression. A bare <c>key</c> without <c>=</c> is ignored, as PostgREST does.
    /// </summary>
    private static Result<ApiRequest> ParseQuery(ApiRequest request, IReadOnlyList<QueryParameter> parameters, bool isRpcRead)
    {
        IReadOnlyList<SelectItem>? select = null;
        IReadOnlyList<OrderTerm>? order = null;
        IReadOnlyList<string>? columns = null;
        IReadOnlyList<string>? onConflict = null;
        string? limit = null;
        string? offset = null;
        var filters = new List<Filter>();
        var logic = new List<LogicExpression>();
        var arguments = new List<(string Name, List<string> Values)>();

        foreach (var (key, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }

            GatewayError? error = null;
            switch (key)
            {
                case "select":
                    error = select is null ? Assign(QueryGrammar.ParseSelect(value), out select) : null;
                    break;
                case "columns":
                    error = columns is null ? Assign(QueryGrammar.ParseColumns(value, "columns"), out columns) : null;
                    break;
                case "on_conflict":
                    error = onConflict is null ? Assign(QueryGrammar.ParseColumns(value, "on_conflict"), out onConflict) : null;
                    break;
                default:
                    var segments = key.Split('.');
                    switch (segments[^1])
                    {
                        case "order" or "limit" or "offset" when segments.Length > 1:
                            error = RequestErrors.NotEmbedded(segments[0]);
                            break;
                        case "order":
                            error = order is null ? Assign(QueryGrammar.ParseOrder(value), out order) : null;
                            break;
                        case "limit":
                            limit ??= value;
                            break;
                        case "offset":
                            offset ??= value;
                            break;
                        case "and" or "or":
                            error = ParseLogic(segments, value, logic);
                            break;
                        default:
                            error = ParseFilterOrArgument(key, value, isRpcRead, filters, arguments);
                            break;
                    }

                    break;
            }

            if (error is not null)
            {
                return error;
            }
        }

        var limitValue = ParseInteger("limit", limit);
        if (!limitValue.IsOk)
        {
            return limitValue.Error;
        }

        if (limitValue.Value < 0)
        {
            return RequestErrors.NegativeLimit();
        }

        var offsetValue = ParseInteger("offset", offset);
        if (!offsetValue.IsOk)
        {
            return offsetValue.Error;
        }

        return request with
        {
            Select = select ?? request.Select,
            Filters = filters,
            Logic = logic,
            Order = order ?? [],
            Limit = limit is null ? null : limitValue.Value,
            Offset = Math.Max(offsetValue.Value, 0),
            Arguments = [.. arguments.Select(argument => new RpcArgument(argument.Name, argument.Values))],
            Columns = columns,
            OnConflict = onConflict,
        };
    }

    /// <summary><c>or=(...)</c>, <c>not.and=(...)</c>; a prefix other than <c>not</c> names an embedded resource.</summary>
    private static GatewayError? ParseLogic(string[] segments, string value, List<LogicExpression> logic)
    {
        var prefix = segments[..^1];
        if (prefix.FirstOrDefault(segment => segment != "not") is { } embedded)
        {
            return RequestErrors.NotEmbedded(embedded);
        }

        var operatorKey = prefix.Length > 0 ? "not." + segments[^1] : segments[^1];
        var tree = QueryGrammar.ParseLogic(operatorKey, value);
        if (!tree.IsOk)
        {
            return tree.Error;
        }

        logic.Add(tree.Value);
        return null;
    }

    private static GatewayError? ParseFilterOrArgument(
        string key, string value, bool isRpcRead, List<Filter> filters, List<(string Name, List<string> Values)> arguments)
    {
        var parsedKey = QueryGrammar.ParseKey(key);
        if (!parsedKey.IsOk)
        {
            return parsedKey.Error;
        }

        var (embedPath, field) = parsedKey.Value;
        if (embedPath.Count > 0)
        {
            return RequestErrors.NotEmbedded(embedPath[0]);
        }

        var filter = QueryGrammar.ParseFilter(field, value, out var isOperatorExpression);
        if (filter.IsOk)
        {
            filters.Add(filter.Value);
            return null;
        }

        if (!isRpcRead || isOperatorExpression || field.JsonPath.Count > 0)
        {
            return filter.Error;
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

    private static Result<long> ParseInteger(string parameter, string? text)
    {
        if (text is null)
        {
            return 0L;
        }

        if (long.TryParse(text.Trim(' '), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        return RequestErrors.ParseFailure($"{parameter} parameter", text, 1, "expecting an integer, e.g. 10");
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

    private static string? Header(IReadOnlyDictionary<string, string> headers, string name)
    {
        if (headers.TryGetValue(name, out var value))
        {
            return value;
        }

        foreach (var (key, candidate) in headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }

    private static GatewayError? Assign<T>(Result<T> result, out T? value)
    {
        value = result.Value;
        return result.Error;
    }
}
