import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from '@app/config';
import { InvalidTokenError, verifyToken } from '@app/auth';
import { DomainError } from '@app/kernel';
import { CLOCK, type Clock, TOKEN_SECRET } from '@app/platform';
import { IS_PUBLIC } from './public.decorator';
import type { EngineRequest } from './request-context';

export class UnauthenticatedError extends DomainError {
  constructor(code: string, message: string) {
    super('unauthenticated', code, message);
  }
}

/** Every route needs `Authorization: Bearer <JWT>` unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    @Inject(TOKEN_SECRET) private readonly secret: string,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<EngineRequest>();
    const header = request.headers.authorization;
    if (typeof header !== 'string' || !header.startsWith('Bearer ')) {
      throw new UnauthenticatedError('AUTH.MISSING_TOKEN', 'Send "Authorization: Bearer <token>"');
    }
    try {
      request.principal = verifyToken(header.slice('Bearer '.length).trim(), this.secret, {
        issuer: this.config.JWT_ISSUER,
        nowSeconds: Math.floor(this.clock.now().getTime() / 1000),
      });
    } catch (error) {
      if (error instanceof InvalidTokenError)
        throw new UnauthenticatedError('AUTH.INVALID_TOKEN', `Invalid token: ${error.message}`);
      throw error;
    }
    return true;
  }
}
