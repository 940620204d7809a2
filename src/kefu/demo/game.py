"""Player contacts for the game publisher (游戏): bug reports, accounts, top-ups, appeals and suggestions."""

from kefu.demo.scenarios import P, Scenario
from kefu.tickets.lifecycle import Channel

GAME = "《星河传说》"
SERVERS = ["华东一区·青龙", "华东二区·白虎", "华南一区·朱雀", "华北一区·玄武", "双线三区·麒麟"]
ROLE_HEADS = ["青衫", "醉月", "孤影", "星辰", "逍遥", "寒霜", "烈焰", "听雨", "无名", "剑心", "Sky", "Nova"]
ROLE_TAILS = ["客", "君", "侠", "子", "歌", "行", "丶", "灬", "Rain", "Zero"]
VERSIONS = ["3.1.8", "3.2.0", "3.2.1", "3.2.2"]
PLATFORMS = [("Android", "Redmi K70"), ("Android", "华为 Mate 60"), ("Android", "OPPO Reno 11"),
             ("iOS", "iPhone 15"), ("iOS", "iPad Air"), ("PC", "Windows 11")]
PACKS = [("月卡", 30), ("战令·进阶", 68), ("648 钻石礼包", 648), ("328 钻石", 328), ("新春限定外观", 198)]

BUG_PRIORITY = {P.NORMAL: 40, P.HIGH: 45, P.URGENT: 15}

SCENARIOS = [
    Scenario(
        "game_crash", "bug", 5,
        ["更新 v{version} 后{platform}端启动闪退 (crash on launch)", "打开背包界面闪退，{device} 必现"],
        ["玩家 {caller}（UID {uid}，{server}）{first}反馈：更新到 v{version} 后，{device}（{platform}）"
         "点开游戏进度条走到 90% 就闪退，重启手机、清缓存都没用。",
         "玩家 {caller}（UID {uid}，{server}）{first}反馈打开背包时游戏直接退出，{device} 上 100% 复现，已附录屏。"],
        ["新版本资源包在部分机型上加载异常。", "背包界面新增的道具排序在特定机型上触发空指针。"],
        ["收集机型、系统版本、录屏与日志，提交运维值班组和研发，修复后通知玩家并补偿。"],
        ["Hi {caller}，您好！已收到您的反馈，麻烦提供一下手机型号、系统版本和闪退录屏，我们马上提交技术排查~"],
        ["您好，问题已在 v{version}.1 热更新中修复，请重启游戏更新；补偿邮件（200 钻石）已发送，请查收。"],
        ["QA repro: 100% on {device}, crash log attached to the defect.",
         "已同步研发群，标记为 P1，同机型反馈累计 17 条。"],
        custom={"severity": ["严重", "严重"], "app_version": "v{version} ({platform})"},
        channels={Channel.QQ: 30, Channel.WEB_FORM: 30, Channel.CHAT: 20, Channel.WECHAT: 10, Channel.EMAIL: 10},
        priority=BUG_PRIORITY, route="游戏运维值班组", anonymous=0.1, occurred=(10, 720),
        crew_notes=["运维值班组反馈：已定位为资源包 CDN 缓存未刷新，已刷新并验证，热更包已于 02:00 发布。",
                    "研发确认 root cause：BagPanel.onResume 空指针，热修复已发布。"],
    ),
    Scenario(
        "game_topup_page", "bug", 2,
        ["充值页面白屏，无法购买{pack}", "Top-up page blank 充值界面一直转圈"],
        ["玩家 {caller}（UID {uid}）{first}反馈点击充值后页面白屏，无法购买{pack}，换网络也不行。",
         "玩家 {caller}（UID {uid}）{first}反馈充值界面一直转圈加载不出来 (loading forever)，已经试了 Wi-Fi 和 4G。"],
        ["支付回调域名证书过期，充值页加载失败。"],
        ["提交技术排查，临时引导玩家通过官网充值。"],
        ["您好，充值页面问题技术正在紧急处理，您可以先通过官网充值中心购买，给您带来不便非常抱歉。"],
        ["您好，充值页面已恢复正常，感谢您的耐心等待。"],
        ["同时段同类反馈 5 条，疑为支付 SDK 问题。"],
        custom={"severity": ["一般", "严重"], "app_version": "v{version} ({platform})"},
        priority=BUG_PRIORITY, route="游戏运维值班组", anonymous=0.05, occurred=(10, 240),
        crew_notes=["运维反馈：支付回调域名证书过期，已更换，充值恢复正常。"],
    ),
    Scenario(
        "game_quest", "bug", 3,
        ["主线任务“{quest}”无法提交", "任务“{quest}”卡在对话界面无法继续"],
        ["玩家 {caller}（UID {uid}，{server}）反馈主线任务“{quest}”对话完成后任务按钮灰色，无法提交，"
         "卡了两天无法推进主线。",
         "玩家 {caller}（UID {uid}，{server}）反馈任务“{quest}”与 NPC 对话到一半就卡住，点击无反应，重新登录也一样。"],
        ["任务状态未同步到服务器。", "NPC 对话脚本在特定分支下未结束。"],
        ["收集角色信息提交研发，必要时后台手动完成任务。"],
        ["您好，已将您的问题提交技术处理，预计 1-2 个工作日内解决，请您耐心等待。"],
        ["您好，已为您后台修复任务状态，重新登录即可继续主线，感谢您的耐心。"],
        ["GM 后台查询任务状态为 3（已完成未领取），需研发修数据。"],
        custom={"severity": ["一般"], "app_version": "v{version}"},
        priority={P.LOW: 20, P.NORMAL: 65, P.HIGH: 15}, anonymous=0.0, occurred=(60, 2880), wait_customer=0.25,
    ),
    Scenario(
        "game_ui", "bug", 2,
        ["界面文字重叠 (UI text overlap)", "英文界面技能说明显示不全"],
        ["玩家 {caller}（UID {uid}）{first}反馈在{device}上，设置界面的文字互相重叠，看不清按钮。",
         "玩家 {caller}（UID {uid}）反馈切换到 English 语言后，skill tooltip 文本被截断，显示不全。"],
        ["UI 自适应未覆盖该分辨率。", "英文文本长度超出文本框。"],
        ["截图记录，提交 UI 组下版本修复。"],
        ["Thanks for your report! 您反馈的界面问题已记录，我们会尽快优化。"],
        ["您好，界面问题已在最新版本中修复，更新后即可正常显示。"],
        ["Resolution 2400x1080，已附截图到缺陷单。"],
        custom={"severity": ["轻微"], "app_version": "v{version} ({platform})"},
        priority={P.LOW: 70, P.NORMAL: 30}, anonymous=0.1,
    ),
    Scenario(
        "game_disconnect", "bug", 3,
        ["副本内频繁掉线 (disconnect in dungeon)", "{server}晚高峰卡顿严重，延迟 999ms"],
        ["玩家 {caller}（UID {uid}）反馈今晚 20:00 后在{server}打团队副本时频繁掉线，重连后副本进度丢失，"
         "钥匙也被扣了。",
         "玩家 {caller}（UID {uid}）反馈{server}每天 20:00-22:00 卡顿严重，技能释放延迟好几秒，延迟显示 999ms。"],
        ["晚高峰该服务器负载过高。"],
        ["提交运维排查服务器负载，核实后补发副本钥匙。", "提交运维排查服务器负载。"],
        ["您好，已将您的情况提交运维排查，核实后会第一时间答复您。"],
        ["您好，已为您核实副本掉线记录，补发的副本钥匙已通过邮件发放，请查收。",
         "您好，{server}已完成扩容，晚高峰延迟已恢复正常，感谢您的反馈。"],
        ["服务器监控显示 20:10-20:40 CPU 峰值 95%。"],
        custom={"severity": ["严重", "一般"], "app_version": "v{version}"},
        priority=BUG_PRIORITY, route="游戏运维值班组", anonymous=0.0, occurred=(30, 720),
        crew_notes=["运维反馈：已对{server}扩容两台网关服务器，延迟恢复正常。"],
    ),
    Scenario(
        "game_stolen", "inquiry", 4,
        ["账号被盗，装备被转移", "Account hacked 申请冻结账号"],
        ["玩家 {caller}（UID {uid}，{server}）{first}称{when}收到异地登录提醒，登录后发现角色“{role}”背包装备被交易给"
         "陌生角色，申请找回。",
         "玩家 {caller}（UID {uid}）{first}称账号密码被改，无法登录，怀疑被盗，申请先冻结账号。"],
        ["账号密码泄露，疑似撞库。"],
        ["核实账号归属（实名信息、充值记录），冻结账号，提交安全组追回装备。",
         "核实账号归属后冻结账号，协助玩家重置密码。"],
        ["您好，为保障账号安全已临时冻结您的账号，请提供实名信息和最近三笔充值记录以核实身份。"],
        ["您好，装备已追回并发还至邮件，请尽快修改密码并绑定手机令牌。",
         "您好，身份核实通过，账号已解冻，请使用新密码登录并绑定手机令牌。"],
        ["登录 IP 归属地与玩家常用地不符。", "已提交安全组，对可疑角色做封禁处理。"],
        custom={"topic": ["业务办理"]}, priority={P.NORMAL: 40, P.HIGH: 55, P.URGENT: 5}, anonymous=0.0,
        occurred=(30, 1440), wait_customer=0.35,
    ),
    Scenario(
        "game_realname", "inquiry", 3,
        ["咨询未成年人防沉迷时间限制", "实名认证信息填错如何修改"],
        ["家长{name}{first}询问孩子的账号周末只能玩一小时，是否是系统问题，能否延长。",
         "玩家 {caller}（UID {uid}）{first}称注册时实名认证信息填错，询问如何修改。"],
        ["国家防沉迷规定。", "实名信息修改需人工审核。"],
        ["按防沉迷政策口径答复。", "引导提交身份证照片人工审核。"],
        ["您好，根据国家规定，未成年人仅可在周五、周六、周日和法定节假日 20:00-21:00 游戏，无法延长，感谢理解。",
         "您好，请在客服中心提交身份证正反面照片，审核通过后 3 个工作日内修改。"],
        ["已按防沉迷政策口径答复家长，家长表示理解。", "您好，实名信息已审核通过并修改完成。"],
        ["已按标准口径答复。"],
        custom={"topic": ["政策", "业务办理"]}, priority={P.LOW: 60, P.NORMAL: 40}, anonymous=0.3, occurred=(5, 120),
    ),
    Scenario(
        "game_rebind", "inquiry", 2,
        ["申请换绑手机号", "原手机号已停用，无法接收验证码"],
        ["玩家 {caller}（UID {uid}）{first}称原绑定手机号已停用，无法接收验证码登录，申请换绑新号码。"],
        ["玩家更换手机号。"],
        ["核实身份后人工换绑。"],
        ["您好，请提供实名信息及最近一笔充值的时间和金额，核实后为您换绑。"],
        ["您好，身份核实通过，已为您换绑新手机号，请使用新号码接收验证码登录。"],
        ["已核对最近一笔充值订单信息一致。"],
        custom={"topic": ["业务办理"]}, priority={P.LOW: 30, P.NORMAL: 70}, anonymous=0.0, wait_customer=0.35,
    ),
    Scenario(
        "game_topup_missing", "inquiry", 5,
        ["充值 {amount} 元未到账", "Top-up not received 购买{pack}未到账"],
        ["玩家 {caller}（UID {uid}，{server}）{first}反馈{when}通过微信支付购买{pack}，已扣款 {amount} 元，"
         "游戏内未到账。支付单号 {pay_order}。"],
        ["支付回调延迟，订单未完成发货。"],
        ["提交计费数据组核对支付流水，确认后补发或退款。"],
        ["您好，已收到您的充值问题，正在为您核查支付流水，一般在 24 小时内处理完毕，请耐心等待。"],
        ["您好，经核实订单 {pay_order} 已支付成功，{pack}已为您补发，请重新登录查收。"],
        ["支付平台显示交易成功，游戏订单状态为“待发货”。"],
        custom={"topic": ["资费"]}, priority={P.NORMAL: 50, P.HIGH: 45, P.URGENT: 5}, route="计费数据组",
        anonymous=0.0, occurred=(10, 1440),
        crew_notes=["计费数据组核实：订单 {pay_order} 支付回调超时，已手动补单发货。"],
    ),
    Scenario(
        "game_double_charge", "complaint", 2,
        ["投诉充值重复扣款", "投诉重复扣款反映三天无人处理"],
        ["玩家 {caller}（UID {uid}）{first}投诉：购买{pack}时微信扣款两次共 {amount2} 元，只到账一份，"
         "三天前反映至今未处理。"],
        ["支付重复回调，前期工单跟进不及时。"],
        ["核实后退还重复扣款，对跟进不及时的情况致歉并补偿。"],
        ["非常抱歉，您的投诉已受理（工单 {ticket}），我们会优先核实并在 24 小时内答复您。"],
        ["非常抱歉，重复扣款 {amount} 元已原路退回，另赠送 100 钻石作为补偿。"],
        ["前一工单跟进超时，已纳入班组考核。"],
        custom={"category": ["收费"], "responsible_party": "计费数据组"},
        priority={P.NORMAL: 30, P.HIGH: 55, P.URGENT: 15}, route="计费数据组", anonymous=0.0,
        crew_notes=["计费数据组核实：支付平台重复回调，已发起退款 {amount} 元。"],
    ),
    Scenario(
        "game_ban_appeal", "complaint", 2,
        ["封号申诉：否认使用外挂", "投诉账号被误封"],
        ["玩家 {caller}（UID {uid}，{server}）{first}称账号因“使用第三方插件”被封禁 7 天，本人从未使用外挂，"
         "要求解封。"],
        ["反外挂系统检测到异常操作数据。"],
        ["提交安全组复核封禁证据，复核后答复玩家。"],
        ["您好，您的申诉已提交安全组复核，结果将在 3 个工作日内通知您。"],
        ["您好，经复核您的账号存在异常数据，封禁维持；如有新的证据可再次申诉。",
         "您好，经复核为误判，已为您解除封禁并补偿 7 天月卡，给您带来的不便深表歉意。"],
        ["安全组复核中。"],
        custom={"category": ["服务质量", "其他"], "responsible_party": "安全组"},
        priority={P.NORMAL: 70, P.HIGH: 30}, anonymous=0.0, wait_customer=0.2,
    ),
    Scenario(
        "game_suggestion", "suggestion", 3,
        ["建议增加跨服组队功能", "Suggestion: 背包增加一键分解"],
        ["玩家 {caller}（UID {uid}）建议增加跨服组队，低人口服务器很难组满团队副本。",
         "玩家 {caller}（UID {uid}）建议背包增加“一键分解”，现在要一件件分解太麻烦。"],
        ["玩家建议。"],
        ["整理后提交策划组，答复玩家。"],
        ["感谢您的建议！已提交策划团队评估，采纳后会在版本公告中说明~"],
        ["您好，您的建议已被策划团队采纳，将在下个版本上线，感谢支持！"],
        ["已录入本周玩家建议汇总，提交策划组。"],
        channels={Channel.WEB_FORM: 40, Channel.QQ: 30, Channel.WECHAT: 20, Channel.EMAIL: 10},
        priority={P.LOW: 85, P.NORMAL: 15}, anonymous=0.1,
    ),
    Scenario(
        "game_callback", "callback", 1,
        ["VIP 玩家服务回访", "充值问题处理回访"],
        ["对 VIP 玩家 {caller}（UID {uid}）进行定期关怀回访，了解游戏体验。",
         "对玩家 {caller}（UID {uid}）此前反映的充值问题进行回访，确认是否已到账。"],
        ["VIP 玩家定期关怀。", "充值问题办结后回访。"],
        ["通过电话或 QQ 回访，记录玩家意见。"],
        ["您好，我是{game}客服，工号 {agent_no}，想了解一下您最近的游戏体验如何？",
         "您好，我是{game}客服，工号 {agent_no}，之前您反映的充值问题已处理，请问是否已经到账？"],
        ["回访：玩家表示游戏体验良好，建议增加跨服玩法。", "回访：玩家确认已到账，对处理结果满意。"],
        ["玩家白天上班，约晚上 19:00 后回访。"],
        custom={"original_ticket": "{original}"}, channels={Channel.PHONE: 70, Channel.QQ: 30},
        priority={P.LOW: 50, P.NORMAL: 50}, anonymous=0.0, wait_customer=0.2,
    ),
]

QUESTS = ["星落之城", "破晓", "故人归", "龙脊山的秘密", "北境来信"]

# A server outage: one parent bug, players' reports as children (TK6).
OUTAGE_PARENT = Scenario(
    "game_outage", "bug", 0,
    ["{server}服务器宕机，全服玩家无法登录 (server down)", "{server}大面积掉线并回档"],
    ["多名玩家通过官网反馈页和 QQ 群集中反馈：{server}自 20:05 起大量玩家掉线，重新登录提示“连接服务器失败”，"
     "部分玩家反映数据回档约十分钟。"],
    ["数据库主从切换异常导致游戏服不可用。"],
    ["通知运维值班组紧急处理，发布官方公告，统一答复口径，恢复后全服补偿。"],
    ["【公告】{server}服务器正在紧急维护，恢复时间另行通知，维护结束后将发放补偿，感谢各位玩家的耐心。"],
    ["【公告】{server}已恢复正常，补偿邮件已全服发放，感谢各位玩家的耐心等待。"],
    ["运维已确认故障，P0 级事件，每 30 分钟同步一次进度。", "Incident channel opened, on-call DBA engaged."],
    custom={"severity": ["致命"], "app_version": "server"}, channels={Channel.WEB_FORM: 100},
    priority={P.URGENT: 100}, route="游戏运维值班组", anonymous=1.0, occurred=(5, 15), wait_customer=0.0,
    where=["{game} {server}"],
    crew_notes=["运维值班组反馈：数据库主从切换完成，{server}已恢复，回档数据已核对。"],
)
OUTAGE_CHILDREN = [
    Scenario(
        "game_outage_login", "bug", 1,
        ["登录一直转圈，提示“连接服务器失败”", "Cannot log in: connection failed"],
        ["玩家 {caller}（UID {uid}，{server}）{first}反馈从 20:05 开始无法登录，提示“连接服务器失败”，"
         "重装客户端也不行。"],
        ["{server}服务器故障。"],
        ["按公告口径答复，恢复后通知玩家查收补偿。"],
        ["您好，{server}正在紧急维护中，恢复后将全服发放补偿，给您带来不便非常抱歉。"],
        ["您好，服务器已恢复，补偿邮件（500 钻石 + 双倍经验卡）已发放，请重新登录查收。"],
        ["属于{server}宕机事件，已关联主工单。"],
        custom={"severity": ["严重", "致命"], "app_version": "v{version} ({platform})"},
        priority={P.HIGH: 70, P.URGENT: 30}, anonymous=0.0, occurred=(3, 30),
    ),
    Scenario(
        "game_outage_rollback", "inquiry", 1,
        ["掉线后装备丢失，询问能否找回", "服务器回档，询问充值是否会丢"],
        ["玩家 {caller}（UID {uid}）反馈服务器恢复后，掉线前刚强化的武器等级回退了，询问能否恢复。",
         "玩家 {caller}（UID {uid}）担心服务器回档期间充值的{pack}会丢失，询问如何补发。"],
        ["服务器回档。"],
        ["按公告口径答复，登记玩家损失，核实后补发。"],
        ["您好，回档期间的充值和强化记录都会核对补发，请您放心。"],
        ["您好，已为您核对并补发回档损失，请查收邮件。"],
        ["已登记回档损失明细，提交运营核对。"],
        custom={"topic": ["其他"]}, priority={P.NORMAL: 50, P.HIGH: 50}, anonymous=0.0, occurred=(3, 60),
    ),
]
