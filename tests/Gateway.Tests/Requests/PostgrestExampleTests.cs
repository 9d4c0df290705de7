using Gateway.Requests;
using static Gateway.Tests.Requests.RequestParsing;

namespace Gateway.Tests.Requests;

/// <summary>
/// Query strings taken from PostgREST's own specs (test/spec/Feature/Query: QuerySpec, EmbedDisambiguationSpec,
/// EmbedInnerJoinSpec, SpreadQueriesSpec, AggregateFunctionsSpec, RelatedQueriesSpec, ComputedRelsSpec, AndOrParamsSpec),
/// which PostgREST answers without a parse error: they parse here too.
/// </summary>
public sealed class PostgrestExampleTests
{
    [Theory]
    [InlineData("select=id, name, clients(*), tasks(id, name)&id=eq.1")]
    [InlineData("select=myId:id, name, project_client:clients(*), project_tasks:tasks(id, name)&id=eq.1")]
    [InlineData("select=id, name, tasks(id, name, users(id, name))&tasks.order=name.asc&tasks.users.order=name.desc&id=eq.1")]
    [InlineData("select=id, name, the_tasks:tasks(id, name)&tasks.name=like.Code*&tasks.order=name.asc&tasks.limit=1&id=eq.1")]
    [InlineData("select=id,children:child_entities(id,gChildren:grandchild_entities(id))&children.and=(id.in.(1,2,3))&children.gChildren.or=(id.eq.1,id.eq.2)")]
    [InlineData("select=id,name,designTasks:tasks(name,users(id,name))&designTasks.name=like.*Design*&designTasks.users.id=in.(1,2)")]
    [InlineData("select=name,visits(id,start_time,visit_type),work_visits:visits(id,start_time,visit_type)&id=eq.1&visits.visit_type=neq.work&visits.start_time=gt.20250101+00:00")]
    [InlineData("select=id,zones:zone(id,name),stores:zone(id,name)&zones.zone_type_id=eq.2&stores.zone_type_id=eq.3")]
    [InlineData("select=*,tasks!inner(projects(clients()),users_tasks(),name)&tasks.id=eq.3")]
    [InlineData("select=*,users_tasks!inner(tasks!inner(projects()))&users_tasks.tasks.id=eq.3")]
    [InlineData("select=id,name,datarep_todos!datarep_next_two_todos_first_item_id_fkey(label_color,due_at)&datarep_todos.label_color=neq.000100&order=id")]
    [InlineData("select=user_id,files!touched_files(filename,content)&files.order=filename&user_id=eq.1&task_id=eq.1")]
    [InlineData("select=%22:arr-%3Eow::cast%22,%22(inside,parens)%22,%22a.dotted.column%22,%22%20%20col%20%20w%20%20space%20%20%22&%22*id*%22=eq.1")]
    [InlineData("select=*&non_existent_projects.name=like.*NonExistent*")]
    [InlineData("select=id,name, children:family_tree!parent(id,name,children:family_tree!parent(id,name))&id=eq.1")]
    [InlineData("select=id,body,sender:person_detail!message_sender_fkey(name,sent),recipient:person_detail!message_recipient_fkey(name,received)&id=lt.4&order=id")]
    [InlineData("select=name,manager(name),auditees:organizations!auditor(name,manager(name),refereeds:organizations!referee(name,manager(name)))&id=eq.2")]
    [InlineData("select=id,parent_id(*),children:job!parent_id(id,parent_id)&order=id")]
    [InlineData("select=*,subscribers:subscriptions!subscribed(...posters!subscriber(*))&limit=1")]
    [InlineData("select=id,child_entities!inner(id,grandchild_entities!inner(id))&child_entities.grandchild_entities.id=in.(1,5)")]
    [InlineData("select=id,clients!client!inner(id)&clients.id=eq.2")]
    [InlineData("select=*,clientinfo(),contact()&clientinfo.other=ilike.*main*&contact.name=ilike.*tabby*&or=(clientinfo.not.is.null,contact.not.is.null)")]
    [InlineData("select=name,child_entities(name,grandchild_entities())&child_entities.grandchild_entities=not.is.null&child_entities=not.is.null")]
    [InlineData("select=name,childs:child_entities()&childs=is.null")]
    [InlineData("select=factory:name,...factory_buildings(*)&factory_buildings.order=inspections->pending.asc.nullsfirst,inspections->ins.desc&order=name")]
    [InlineData("select=factory:name,...processes!inner(name)&order=name&processes.order=name")]
    [InlineData("select=factory:name,...processes(*)&processes.name=not.like.*1&order=name&processes.order=name")]
    [InlineData("select=factory:name,...processes(name,...process_costs(cost))&processes.order=process_costs(cost)&order=name")]
    [InlineData("select=factory:name,...processes(process:name,...supervisors(supervisors:name))&order=name&processes.order=name&processes.supervisors.order=name")]
    [InlineData("select=name,...child_entities(parent_name:name,...entities(grandparent_name:name))&limit=3")]
    [InlineData("select=*,...films()")]
    [InlineData("select=id,client:clients(name)&order=client(name).asc")]
    [InlineData("select=id,clients(name)&order=clients(name).nullsfirst")]
    [InlineData("select=*,pros:projects(*)&order=pros(id)")]
    [InlineData("select=id,computed_videogames(id)&order=computed_videogames(id).desc")]
    [InlineData("select=name,projects(name,computed_clients(name))&limit=1")]
    [InlineData("select=count()::text")]
    [InlineData("select=c:count(),client_id&order=client_id.desc")]
    [InlineData("select=name,projects(count)")]
    [InlineData("select=invoice_total.sum(),invoice_total.max(),invoice_total.min(),pid:project_id&order=project_id.desc")]
    [InlineData("select=project_id,total:invoice_total.sum(),projects(name)&order=project_id")]
    [InlineData("select=name,project_invoices(invoice_total.max(),invoice_total.min(),invoice_total.avg(),invoice_total.sum(),invoice_total.count())")]
    [InlineData("select=total_expenses:expense_amount.sum(),...budget_categories(budget_owner,total_budget:budget_amount.sum())&order=budget_categories(budget_owner)")]
    [InlineData("select=...processes(factory:factory_id,processes_count:count(),...process_costs(process_costs_count:count()))&order=processes(factory)")]
    [InlineData("select=name,process_supervisor(...processes(...process_costs(cost_sum:cost.sum()),...process_categories(category:name)))")]
    [InlineData("child_entities.or=(id.eq.1,name.eq.child entity 2)&select=id,child_entities(id)")]
    public void PostgREST_spec_query_parses(string query)
    {
        Assert.NotNull(Get(query));
    }

    [Fact]
    public void Nested_embeds_with_embedded_order_parse_to_the_model()
    {
        var request = Get("select=id, name, tasks(id, name, users(id, name))&tasks.order=name.asc&tasks.users.order=name.desc&id=eq.1");

        var tasks = Assert.IsType<SelectEmbed>(request.Select[2]);
        Assert.Equal("users", Assert.IsType<SelectEmbed>(tasks.Select[2]).Relation);
        Assert.Equal([["tasks"], ["tasks", "users"]], request.Embedded.Select(embed => embed.Path));
        Assert.Equal(OrderDirection.Descending, Assert.Single(request.Embedded[1].Order).Direction);
        Assert.Equal("id", Assert.Single(request.Filters).Field.Column);
    }

    [Fact]
    public void Aggregates_inside_nested_spreads_parse_to_the_model()
    {
        var processes = Assert.IsType<SelectEmbed>(Assert.Single(
            Get("select=...processes(factory_id,...process_costs(cost_sum:cost.sum()))&order=processes(factory_id).desc").Select));
        var costs = Assert.IsType<SelectEmbed>(processes.Select[1]);
        var sum = Assert.IsType<SelectField>(Assert.Single(costs.Select));

        Assert.True(processes.Spread);
        Assert.True(costs.Spread);
        Assert.Equal(AggregateFunction.Sum, sum.Aggregate);
        Assert.Equal("cost_sum", sum.OutputName);
    }

    /// <summary>
    /// PostgREST stops reading <c>select</c> after the last complete item and ignores the rest (its parser does not
    /// demand the end of input), so two of its spec URLs carry a stray <c>)</c> or <c>'</c>. Here trailing text is a
    /// syntax error, as it is for every other parameter.
    /// </summary>
    [Theory]
    [InlineData("select=name,...processes(process:name,...process_costs(cost)))&id=eq.5&processes.id=eq.7")]
    [InlineData("select=name,projects(count)'")]
    public void Text_after_the_select_list_is_400_PGRST100_where_PostgREST_ignores_it(string query)
    {
        AssertParseError(GetError(query));
    }
}
