"""The JSON API at /api/v1/ (OpenAPI docs at /api/v1/docs). Each domain app adds
its router here."""

from ninja import NinjaAPI

from cchc.core.api import AUTH, NfcParser, declare_errors, install_error_handlers
from cchc.core.api import router as core_router
from cchc.dashboards.api import router as dashboards_router
from cchc.dossiers.api import router as dossiers_router
from cchc.parindex.api import router as parindex_router
from cchc.petitions.api import router as petitions_router
from cchc.plans.api import router as plans_router
from cchc.procedures.api import router as procedures_router
from cchc.registers.api import router as registers_router
from cchc.reports.api import router as reports_router
from cchc.satisfaction.api import router as satisfaction_router
from cchc.serviceindex.api import router as serviceindex_router


class CchcAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        return declare_errors(super().get_openapi_schema(*args, **kwargs))


api = CchcAPI(
    title="CCHC API",
    version="1",
    description="API của phần mềm cải cách hành chính cấp xã. Xác thực: `Authorization: Bearer <khóa>` "
    "(tạo bằng `cchc api-token create TÊN_ĐĂNG_NHẬP`).",
    auth=AUTH,
    parser=NfcParser(),
    urls_namespace="api",
    docs_url="/docs",
)
install_error_handlers(api)
# Each router declares its full paths (e.g. /dossiers, /stats/dossiers), so that
# statistics from several apps share the /stats/ prefix.
api.add_router("/", core_router)
api.add_router("/", procedures_router)
api.add_router("/", dossiers_router)
api.add_router("/", satisfaction_router)
api.add_router("/", petitions_router)
api.add_router("/", plans_router)
api.add_router("/", serviceindex_router)
api.add_router("/", registers_router)
api.add_router("/", reports_router)
api.add_router("/", parindex_router)
api.add_router("/", dashboards_router)
