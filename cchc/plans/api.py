from ninja import Router

router = Router(tags=["Kế hoạch CCHC"])


@router.get("/plans-ping")
def _ping(request):
    return {"ok": True}
