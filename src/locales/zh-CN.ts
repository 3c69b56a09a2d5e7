import type { LocaleCatalog } from './catalog.js'

/** Simplified Chinese texts and page labels. @example zhCN.statuses['404']?.title // '未找到' */
export const zhCN: LocaleCatalog = {
  lang: 'zh-CN',
  labels: {
    errors: '需要修正的问题',
    stack: '调用栈',
    cause: '原因',
    type: '问题类型',
    instance: '发生位置',
    traceId: '跟踪 ID',
    requestId: '请求 ID',
  },
  statuses: {
    // 1xx
    '100': {
      title: '继续',
      description:
        '服务器已收到请求头且没有拒绝，客户端应继续发送请求内容；如果请求已经发送完毕，可忽略此响应。',
    },
    '101': {
      title: '切换协议',
      description: '服务器同意切换到 Upgrade 头字段中指定的协议，并将在本响应之后立即切换。',
    },
    '102': {
      title: '处理中',
      description:
        '服务器已接受一个耗时较长的 WebDAV 请求，仍在处理中，尚无最终响应，客户端应继续等待。',
    },
    '103': {
      title: '早期提示',
      description:
        '在最终响应之前先行发送的临时响应，带有部分头字段（如用于预加载的 Link），让客户端提前开始获取资源。',
    },
    '103 Unofficial': {
      title: '检查点',
      description:
        '非正式状态码，来自可恢复请求提案，用于恢复中断的 PUT 或 POST 请求。已被 103 早期提示取代。',
    },
    // 2xx
    '200': {
      title: '成功',
      description:
        '请求已成功。响应内容取决于请求方法：GET 返回所请求的资源，POST 返回操作的结果。',
    },
    '201': {
      title: '已创建',
      description: '请求已成功，并创建了一个或多个新资源，通常由 Location 头字段给出其地址。',
    },
    '202': {
      title: '已接受',
      description: '请求已被接受处理，但处理尚未完成，之后仍可能失败；请稍后查询处理状态。',
    },
    '203': {
      title: '非授权信息',
      description: '请求已成功，但返回的内容已被转换代理修改，与源服务器发出的内容不完全相同。',
    },
    '204': {
      title: '无内容',
      description: '请求已成功，没有需要返回的内容；客户端可保持当前视图不变。',
    },
    '205': {
      title: '重置内容',
      description: '请求已成功，客户端应重置文档视图，例如清空刚刚提交的表单。',
    },
    '206': {
      title: '部分内容',
      description: '服务器只返回了 Range 头字段所请求的那部分资源，例如用于断点续传。',
    },
    '207': {
      title: '多状态',
      description: '响应内容是一条 WebDAV XML 消息，分别给出多个操作各自的状态，请逐一检查。',
    },
    '208': {
      title: '已报告',
      description: '该 WebDAV 绑定的成员已在同一响应的前文中列出，此处不再重复。',
    },
    '226': {
      title: '已使用 IM',
      description:
        '服务器已完成 GET 请求，响应内容是对当前资源应用一种或多种实例操作（如增量）后的结果。',
    },
    // 3xx
    '300': {
      title: '多种选择',
      description: '该资源有多种表示形式，各有自己的 URI，由客户端或用户从中选择一个。',
    },
    '301': {
      title: '永久移动',
      description: '资源已永久迁移到 Location 头字段给出的新 URI，今后请使用新地址并更新相关链接。',
    },
    '302': {
      title: '临时移动',
      description: '资源暂时位于 Location 头字段给出的另一个 URI，今后的请求仍应使用原地址。',
    },
    '303': {
      title: '查看其他位置',
      description:
        '服务器指向 Location 头字段中的另一个资源，客户端应使用 GET 获取它，常用于展示 POST 的处理结果。',
    },
    '304': {
      title: '未修改',
      description:
        '根据条件请求，资源自客户端所持版本以来没有变化，因此不返回内容；请直接使用缓存副本。',
    },
    '305': {
      title: '使用代理',
      description:
        '已弃用：表示资源只能通过 Location 头字段给出的代理访问。出于安全原因，客户端会忽略它。',
    },
    '306': {
      title: '切换代理',
      description:
        '已不再使用：曾用于要求客户端通过指定代理发送后续请求。RFC 9110 保留了此状态码。',
    },
    '307': {
      title: '临时重定向',
      description:
        '资源暂时位于 Location 头字段给出的 URI，请以相同的方法和内容向该地址重发请求，但今后仍使用原地址。',
    },
    '308': {
      title: '永久转移',
      description:
        '资源已永久迁移到 Location 头字段给出的 URI，本次及今后的请求都应以相同的方法和内容发往该地址。',
    },
    // 4xx
    '400': {
      title: '错误请求',
      description:
        '由于客户端错误（如语法不正确或报文格式无效），服务器无法或不愿处理该请求；请修正后再发送。',
    },
    '401': {
      title: '未授权',
      description:
        '请求缺少访问该资源的有效凭据。请按 WWW-Authenticate 头字段的要求完成认证后重试。',
    },
    '401.1': {
      title: '未授权：登录失败',
      description: '用户名或密码无效，IIS 拒绝登录；请使用正确的凭据重试。',
    },
    '401.2': {
      title: '未授权：服务器配置问题导致登录失败',
      description: '由于服务器的配置，IIS 无法完成登录，例如没有启用客户端支持的任何认证方式。',
    },
    '401.3': {
      title: '未授权：ACL 禁止访问资源',
      description:
        '用户已通过认证，但所请求文件或目录的访问控制列表（ACL）拒绝访问；需要修改该资源的权限。',
    },
    '401.4': {
      title: '未授权：授权被筛选器拒绝',
      description: 'IIS 服务器上安装的筛选器拒绝了该请求的授权。',
    },
    '401.5': {
      title: '未授权：ISAPI 或 CGI 授权失败',
      description: 'IIS 服务器上的 ISAPI 或 CGI 应用程序拒绝了该请求的授权。',
    },
    '401.7': {
      title: '未授权：URL 授权策略拒绝访问',
      description: 'IIS 服务器上的 URL 授权策略拒绝访问该资源。',
    },
    '402': {
      title: '需要付款',
      description:
        'HTTP 保留此状态码供将来使用；部分 API 用它表示需要付费或更高的配额才能处理请求。',
    },
    '403': {
      title: '禁止',
      description:
        '服务器理解该请求，但拒绝执行；用相同的凭据重试无济于事。请申请访问权限，或改用有权限的账户。',
    },
    '403.1': {
      title: '禁止访问：禁止可执行访问',
      description: 'IIS 拒绝运行所请求的程序或脚本，因为其所在目录没有授予执行权限。',
    },
    '403.2': {
      title: '禁止访问：禁止读访问',
      description: 'IIS 拒绝提供该资源，因为其所在目录没有授予读取权限，或没有可用的默认文档。',
    },
    '403.3': {
      title: '禁止访问：禁止写访问',
      description: 'IIS 拒绝写入该目录，因为该目录没有授予写入权限。',
    },
    '403.4': {
      title: '禁止访问：要求 SSL',
      description: '该资源只能通过安全连接访问，请改用 HTTPS 重新请求。',
    },
    '403.5': {
      title: '禁止访问：要求 SSL 128',
      description:
        '该资源要求使用 128 位加密的安全连接，请通过 HTTPS 并使用支持该加密强度的客户端访问。',
    },
    '403.6': {
      title: '禁止访问：IP 地址被拒绝',
      description: '服务器配置为拒绝来自客户端 IP 地址的请求。',
    },
    '403.7': {
      title: '禁止访问：要求客户证书',
      description: '服务器要求使用客户端证书进行认证，但请求没有提供有效的证书。',
    },
    '403.8': {
      title: '禁止访问：禁止站点访问',
      description: '服务器上的域名限制拒绝客户端所在的域或网络访问该站点。',
    },
    '403.9': {
      title: '禁止访问：连接的用户过多',
      description: '连接到服务器的用户数超过了配置的连接上限，请稍后重试。',
    },
    '403.10': {
      title: '禁止访问：配置无效',
      description: '由于服务器对该资源的配置无效，IIS 拒绝了访问。',
    },
    '403.11': {
      title: '禁止访问：密码更改',
      description: '由于密码已更改，访问被拒绝；请使用当前密码重新登录。',
    },
    '403.12': {
      title: '禁止访问：映射器拒绝访问',
      description: '客户端证书所映射的用户账户无权访问该资源。',
    },
    '403.13': {
      title: '禁止访问：客户证书已被吊销',
      description: '客户端提供的证书已被颁发机构吊销，请获取新的有效证书。',
    },
    '403.14': {
      title: '禁止访问：拒绝目录列表',
      description:
        'URL 指向一个目录，但服务器禁止浏览目录，也没有可提供的默认文档；请请求具体的文件。',
    },
    '403.15': {
      title: '禁止访问：客户访问许可过多',
      description: '服务器的客户端访问许可已达上限，请稍后重试。',
    },
    '403.16': {
      title: '禁止访问：客户证书不可信或者无效',
      description: '客户端证书不受服务器信任，或者无效。',
    },
    '403.17': {
      title: '禁止访问：客户证书已经到期或者尚未生效',
      description: '客户端证书已过期或尚未生效，请使用处于有效期内的证书。',
    },
    '403.18': {
      title: '禁止访问：不能在当前应用程序池中执行请求',
      description: '无法在为其配置的应用程序池中执行所请求的 URL（IIS 6.0）。',
    },
    '403.19': {
      title: '禁止访问：不能在此应用程序池中执行 CGI',
      description: '无法在此应用程序池中为客户端执行 CGI 应用程序（IIS 6.0）。',
    },
    '403.20': {
      title: '禁止访问：Passport 登录失败',
      description: '通过 Microsoft Passport 登录失败（IIS 6.0），请重新登录。',
    },
    '404': {
      title: '未找到',
      description: '服务器在所请求的 URI 上没有找到任何内容，或不愿透露其存在；请检查地址。',
    },
    '404.0': {
      title: '未找到：没有找到文件或目录',
      description: 'IIS 找不到所请求的文件或目录；请检查路径，该文件也可能已被移动或删除。',
    },
    '404.1': {
      title: '未找到：无法在所请求的端口上访问站点',
      description: '无法通过所请求的端口访问该网站：其 IP 地址不接受该端口上的请求。',
    },
    '404.2': {
      title: '未找到：Web 服务扩展锁定策略阻止本请求',
      description: 'IIS 服务器的 Web 服务扩展锁定策略阻止了该请求。',
    },
    '404.3': {
      title: '未找到：MIME 映射策略阻止本请求',
      description: 'MIME 映射策略阻止了该请求：服务器没有为此文件扩展名配置 MIME 类型或处理程序。',
    },
    '405': {
      title: '方法禁用',
      description: '该资源不支持此请求方法；Allow 头字段列出了它支持的方法。',
    },
    '406': {
      title: '不接受',
      description:
        '该资源没有符合请求中 Accept 类头字段（类型、语言、编码等）的表示形式；请放宽这些偏好后重试。',
    },
    '407': {
      title: '需要代理授权',
      description: '客户端必须先按 Proxy-Authenticate 头字段的要求向代理完成认证，然后重发请求。',
    },
    '408': {
      title: '请求超时',
      description:
        '服务器在愿意等待的时间内没有收到完整的请求，已关闭连接；客户端可以重新发送该请求。',
    },
    '409': {
      title: '冲突',
      description: '请求与资源的当前状态冲突，例如基于过期的版本进行修改；请解决冲突后重新提交。',
    },
    '410': {
      title: '已删除',
      description: '该资源已不在此 URI 上提供，而且很可能是永久性的；请删除指向它的链接和书签。',
    },
    '411': {
      title: '需要有效长度',
      description: '服务器要求此请求带有 Content-Length 头字段，请注明内容长度后重新发送。',
    },
    '412': {
      title: '未满足前提条件',
      description:
        '请求头字段中的一个或多个条件（如 If-Match）在服务器上判定为假；请获取资源的最新状态后重试。',
    },
    '413': {
      title: '请求实体过大',
      description:
        '请求内容超出了服务器愿意或能够处理的大小；请减少数据量，若给出了 Retry-After 也可稍后重试。',
    },
    '414': {
      title: '请求的 URI 过长',
      description:
        '目标 URI 超出了服务器愿意解析的长度；请缩短它，例如把查询数据改放到 POST 请求体中。',
    },
    '415': {
      title: '不支持的媒体类型',
      description:
        '对于该资源，服务器不支持请求内容的媒体类型或编码；请改用受支持的格式（如有 Accept 头字段，以其为准）。',
    },
    '416': {
      title: '请求范围不符合要求',
      description: '请求中 Range 头字段的所有范围都与资源的当前范围不重叠；请请求有效的范围。',
    },
    '417': {
      title: '未满足期望值',
      description:
        '请求中 Expect 头字段给出的期望无法被至少一个入站服务器满足；请去掉该期望后重新发送。',
    },
    '418': {
      title: '我是一个茶壶',
      description:
        '来自 RFC 2324 的愚人节状态码：茶壶拒绝煮咖啡。真实的 HTTP 服务器并不使用它，RFC 9110 保留了 418。',
    },
    '419': {
      title: '我是一只狐狸',
      description: '非正式状态码：Smoothwall 和 Foxwall 防火墙在请求配置测试时返回它。',
    },
    '419 Unofficial': {
      title: '认证超时',
      description: '非正式状态码：先前有效的认证或会话已经过期，请重新登录。',
    },
    '420': {
      title: '提高你的耐心',
      description:
        'Twitter 第 1 版搜索和趋势 API 在客户端被限流时返回；请降低请求频率。后续版本改用 429 过多请求。',
    },
    '420 Spring': {
      title: '方法失效',
      description: 'Spring 框架在方法执行失败时使用的状态码，现已弃用。',
    },
    '421': {
      title: '错误定向的请求',
      description:
        '请求被发到了无法为其目标 URI 生成响应的服务器，例如复用了不合适的连接；请通过新连接重试。',
    },
    '421 Unofficial': {
      title: '连接数过多',
      description: '非正式状态码：服务器认为来自客户端 IP 地址的连接过多；请关闭部分连接后重试。',
    },
    '422': {
      title: '无法处理的内容',
      description:
        '服务器理解请求内容的类型，语法也正确，但无法处理其中的指令；请修正内容的含义后重试。',
    },
    '423': {
      title: '已锁定',
      description: '方法的源资源或目标资源已被锁定（WebDAV）；请等待锁释放，或提供相应的锁令牌。',
    },
    '424': {
      title: '依赖失败',
      description: '由于该方法所依赖的另一个操作失败，它无法在此资源上执行（WebDAV）。',
    },
    '425': {
      title: '过早',
      description:
        '服务器不愿处理可能被重放的请求，例如通过 TLS 早期数据发送的请求；请在握手完成后重试。',
    },
    '425 WebDAV draft': {
      title: '无序集合',
      description: '在 WebDAV 高级集合草案中为无序集合定义，但从未进入任何正式发布的标准。',
    },
    '426': {
      title: '需要升级',
      description: '服务器拒绝使用当前协议执行该请求；请切换到 Upgrade 头字段中指定的协议。',
    },
    '428': {
      title: '需要前置条件',
      description:
        '服务器要求请求必须带有条件，以防止更新丢失；请加上 If-Match 等前提条件后重新发送。',
    },
    '429': {
      title: '过多请求',
      description:
        '客户端在给定时间内发送的请求过多（限流）；请等待后再重试，如有 Retry-After 则按其给出的时间等待。',
    },
    '431': {
      title: '请求头部字段太大',
      description: '由于某个头字段或全部头字段总体过大，服务器不愿处理该请求；请减小后重试。',
    },
    '440': {
      title: '登录超时',
      description: 'IIS 状态码：客户端的会话已过期，请重新登录。',
    },
    '444': {
      title: '无响应',
      description: 'nginx 没有发送任何响应就关闭了连接；该状态码只出现在 nginx 的日志中。',
    },
    '449': {
      title: '重试',
      description: '微软状态码：由于缺少必要的信息，服务器无法完成请求；请执行相应操作后重试。',
    },
    '450': {
      title: '被 Windows 家长控制阻止',
      description: '微软状态码：Windows 家长控制已开启，阻止了对所请求网页的访问。',
    },
    '451': {
      title: '由于法律原因而无法访问',
      description:
        '由于法律要求（如审查或法院命令），对该资源的访问被拒绝；Link 头字段可能指明实施封锁的一方。',
    },
    '451 IIS': {
      title: '重定向',
      description:
        'Exchange ActiveSync 在有更合适的服务器或服务器无法访问用户邮箱时返回；请重新执行自动发现以找到正确的服务器。',
    },
    '494': {
      title: '请求头太大',
      description: 'nginx 状态码，早于 431 出现：请求头过大；请减小头字段的大小。',
    },
    '495': {
      title: '证书错误',
      description: 'nginx 状态码：客户端提供的 SSL 客户端证书无效。',
    },
    '496': {
      title: '没有证书',
      description: 'nginx 状态码：要求提供客户端证书，但请求中没有提供。',
    },
    '497': {
      title: 'HTTP 请求发送到 HTTPS 端口',
      description: 'nginx 状态码：普通 HTTP 请求被发到了监听 HTTPS 的端口；请改用 https://。',
    },
    '498': {
      title: '令牌超时或失效',
      description: 'Esri ArcGIS Server 状态码：提交的令牌已过期或无效；请获取新的令牌。',
    },
    '499': {
      title: '客户端关闭请求',
      description: 'nginx 状态码：服务器仍在处理请求时，客户端关闭了连接，因此无法发送响应。',
    },
    '499 Esri': {
      title: '需要令牌',
      description: 'Esri ArcGIS Server 状态码：需要令牌但请求中没有提交；请带上有效令牌重新发送。',
    },
    '499 Antivirus': {
      title: '被杀毒软件拦截',
      description: '非正式状态码：杀毒软件拦截了该请求，例如因为该网站被判定为恶意网站。',
    },
    // 5xx
    '500': {
      title: '服务器内部错误',
      description: '服务器遇到意外情况，无法完成该请求；这不是请求本身的问题，请稍后重试。',
    },
    '500.100': {
      title: '服务器内部错误：ASP 错误',
      description: 'IIS 服务器上的 ASP 页面在处理请求时出错。',
    },
    '500.11': {
      title: '服务器内部错误：服务器关闭',
      description: '该应用程序正在 IIS 服务器上关闭，请稍后重试。',
    },
    '500.12': {
      title: '服务器内部错误：应用程序重新启动',
      description: '该应用程序正在 IIS 服务器上重新启动，请稍候再试。',
    },
    '500.13': {
      title: '服务器内部错误：服务器太忙',
      description: 'IIS 服务器太忙，无法处理该请求，请稍后重试。',
    },
    '500.14': {
      title: '服务器内部错误：应用程序无效',
      description: 'IIS 服务器上该应用程序的配置无效。',
    },
    '500.15': {
      title: '服务器内部错误：不允许请求 global.asa',
      description: '不允许直接请求 global.asa 文件。',
    },
    '501': {
      title: '尚未实施',
      description: '服务器不支持完成该请求所需的功能，例如无法识别请求方法。',
    },
    '502': {
      title: '错误网关',
      description: '服务器作为网关或代理时，从上游服务器收到了无效的响应；请稍后重试。',
    },
    '503': {
      title: '服务不可用',
      description:
        '服务器由于过载或维护，暂时无法处理请求；这种情况是暂时的，请稍后重试，如有 Retry-After 则按其等待。',
    },
    '504': {
      title: '网关超时',
      description: '服务器作为网关或代理时，没有及时收到上游服务器的响应；请稍后重试。',
    },
    '505': {
      title: 'HTTP 版本不受支持',
      description: '服务器不支持或拒绝支持请求所用的 HTTP 主版本；请改用受支持的版本重试。',
    },
    '506': {
      title: '变体也在协商',
      description:
        '服务器配置错误：所选的变体本身也被配置为进行内容协商，从而形成循环（RFC 2295）。',
    },
    '507': {
      title: '存储空间不足',
      description: '服务器无法存储完成请求所需的表示（WebDAV）；请释放空间或减少发送的数据。',
    },
    '508': {
      title: '发现环路',
      description:
        '服务器在处理 Depth 为 infinity 的请求时遇到无限循环，因此终止了操作（WebDAV）。',
    },
    '509': {
      title: '超出带宽限制',
      description: '该网站已用完主机服务商允许的带宽，请稍后重试。',
    },
    '510': {
      title: '未扩展',
      description:
        '请求不满足资源的扩展策略，服务器需要请求带上更多扩展才能完成它（RFC 2774，现已列为历史文档）。',
    },
    '511': {
      title: '需要网络授权',
      description: '客户端需要先完成认证才能访问网络，通常通过强制门户进行；请先登录网络。',
    },
    '520': {
      title: '未知错误',
      description:
        'Cloudflare 从源服务器收到了空的、未知的或意外的响应；这是一个兜底错误，请稍后重试。',
    },
    '521': {
      title: 'Web 服务器已关闭',
      description: '源服务器拒绝了来自 Cloudflare 的连接，Web 服务器可能已关闭。',
    },
    '522': {
      title: '连接超时',
      description: 'Cloudflare 在与源服务器建立 TCP 连接时超时。',
    },
    '523': {
      title: '源站无法访问',
      description: 'Cloudflare 无法到达源服务器，例如源站的 DNS 记录有误。',
    },
    '524': {
      title: '发生超时',
      description: 'Cloudflare 已连接到源服务器，但源服务器没有及时返回 HTTP 响应。',
    },
    '525': {
      title: 'SSL 握手失败',
      description: 'Cloudflare 无法与源服务器完成 SSL/TLS 握手。',
    },
    '526': {
      title: '无效的 SSL 证书',
      description: 'Cloudflare 无法验证源服务器提供的 SSL/TLS 证书。',
    },
    '527': {
      title: 'Railgun 错误',
      description: 'Cloudflare 与源站 Railgun 服务器之间的连接失败或超时。',
    },
    '530': {
      title: '站点已冻结',
      description: 'Pantheon 平台已冻结该网站，通常是因为长期不活跃；需要网站所有者解除冻结。',
    },
    '530 Cloudflare': {
      title: '源站 DNS 错误',
      description: 'Cloudflare 无法解析源服务器的主机名；需要网站所有者修正源站的 DNS 记录。',
    },
    '598': {
      title: '网络读取超时',
      description: '部分代理使用的非正式状态码：代理后方的网络读取超时；请稍后重试。',
    },
    '599': {
      title: '网络连接超时',
      description: '部分代理使用的非正式状态码：代理后方建立网络连接时超时；请稍后重试。',
    },
  },
}
